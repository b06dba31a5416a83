"""PEP 695 (3.12) type parameters and ``type`` statements; PEP 696 (3.13) parameter defaults."""

import os
import sys
from collections.abc import Callable

type Pair[T] = tuple[T, T]
type Handler[**P, R = None] = Callable[P, R]


class Registry[K, V = str]:
    def __init__(self) -> None:
        self.items: dict[K, V] = {}

    def first[T: (int, str)](self, values: list[T]) -> T:
        return values[0]


def run[T](command: T) -> T:
    os.system(command)  # expect: command-injection
    return command


def main[*Ts](*args: *Ts) -> None:
    run(sys.argv[1])
