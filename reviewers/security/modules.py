"""Module names: a file's dotted name, and whether a name that code imports is the repository's own.

A repository is often reviewed from inside its package (pip's source tree holds ``_internal/``
while its code imports ``pip._internal``) or from above a ``src/`` folder; a name matches a
module when it ends with, or starts with, the module's dotted path.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

_STDLIB = frozenset(sys.stdlib_module_names) | {"builtins"}


def module_name(path: str) -> str:
    """``pkg/sub/mod.py`` -> ``pkg.sub.mod``; ``pkg/__init__.py`` -> ``pkg``."""
    stem = path.rsplit(".", 1)[0]
    parts = [part for part in stem.split("/") if part]
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package(path: str) -> bool:
    return path.rsplit("/", 1)[-1] in ("__init__.py", "__init__.pyi")


def qualify(module: str, name: str) -> str:
    return f"{module}.{name}" if module else name


def absolute_import(module: str, package: bool, level: int, target: str | None) -> str | None:
    """The absolute name of ``from <level dots><target> import ...`` written in ``module``."""
    if level == 0:
        return target
    parts = module.split(".") if module else []
    if not package:
        parts = parts[:-1]
    if level > 1:
        if level - 1 > len(parts):
            return None
        parts = parts[: len(parts) - (level - 1)]
    if target:
        parts.append(target)
    return ".".join(parts)


class ModuleIndex:
    """The repository's modules, and the lookup of imported names in them."""

    def __init__(self, modules: Iterable[str], paths: dict[str, str] | None = None):
        self.modules = frozenset(module for module in modules if module)
        # module -> the file to read it from, and what was learnt from files read for another
        # file's sake (validators.py: each module's validators, parsed once per process)
        self.paths = paths or {}
        self.scanned: dict[str, dict] = {}
        self.top = frozenset(module.split(".", 1)[0] for module in self.modules)
        suffixes: dict[str, list[str]] = {}
        # NOTE: only suffixes of two parts or more: a lone ``utils`` would claim every
        # ``import utils`` in the repository, and a stdlib name could be taken for a module.
        for module in sorted(self.modules, key=lambda name: (name.count("."), name)):
            parts = module.split(".")
            for start in range(1, len(parts) - 1):
                suffixes.setdefault(".".join(parts[start:]), []).append(module)
        self.suffixes = suffixes
        self._cache: dict[tuple[str, str], str | None] = {}

    def repo_name(self, dotted: str, near: str = "") -> str | None:
        """The repository's qualified name for ``dotted``, or None when it is not the repository's.

        When several modules end the same way (``shop.queries`` in two projects of one tree),
        the one sharing the most leading packages with ``near`` (the importing module) is meant.
        """
        key = (dotted, near.rpartition(".")[0])
        try:
            return self._cache[key]
        except KeyError:
            pass
        found = self._find(dotted, key[1])
        self._cache[key] = found
        return found

    def _find(self, dotted: str, near: str) -> str | None:
        parts = dotted.split(".")
        starts = [0]
        # ``pip._internal.x`` when the tree is pip's own folder: drop one leading part.
        if len(parts) > 1 and parts[0] not in _STDLIB and parts[0] not in self.top:
            starts.append(1)
        for start in starts:
            for end in range(len(parts), start, -1):
                candidate = ".".join(parts[start:end])
                module = candidate if candidate in self.modules else _nearest(self.suffixes.get(candidate), near)
                if module is not None:
                    return ".".join([module, *parts[end:]])
        return None


def _nearest(modules: list[str] | None, near: str) -> str | None:
    if not modules:
        return None
    if len(modules) == 1 or not near:
        return modules[0]
    mine = near.split(".")

    def shared(module: str) -> int:
        count = 0
        for left, right in zip(module.split("."), mine, strict=False):
            if left != right:
                break
            count += 1
        return count

    return max(modules, key=lambda module: (shared(module), -modules.index(module)))
