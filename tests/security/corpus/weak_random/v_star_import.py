"""random's functions brought in by a star import."""
# features: weakness-alias
from random import *  # noqa: F403


def pin_code() -> str:
    return "%04d" % randint(0, 9999)  # expect: weak-random  # noqa: F405
