"""The read-only view of a run's source that reviewers and agent tools work on.

Every path goes through ``SourceTree.resolve``: relative, inside the root, no symlinks.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from framework.errors import PathRefused

__all__ = ["PathRefused", "SourceTree"]


class SourceTree:
    def __init__(self, root: str | os.PathLike[str], files: list[str], max_file_bytes: int = 1_000_000):
        self.root = Path(root).resolve()
        self.files = files
        self.max_file_bytes = max_file_bytes
        self._known = set(files)
        self._checked_dirs: set[Path] = set()  # directories already found to be no symbolic link

    def resolve(self, relative: str) -> Path:
        """The real path of ``relative`` inside the tree; refuses anything that could escape it."""
        if not isinstance(relative, str) or not relative.strip() or "\0" in relative:
            raise PathRefused(f"invalid path {relative!r}")
        candidate = PurePosixPath(relative.replace("\\", "/"))
        if candidate.is_absolute() or ".." in candidate.parts:
            raise PathRefused(f"path {relative!r} is outside the source tree")
        path = self.root.joinpath(*[part for part in candidate.parts if part not in ("", ".")])
        try:
            # NOTE: check every component, not just the leaf: a symlinked directory would let a
            # plain-looking path lead anywhere on the machine.
            current = self.root
            for part in path.relative_to(self.root).parts:
                current = current / part
                if current in self._checked_dirs:
                    continue
                if current.is_symlink():
                    raise PathRefused(f"path {relative!r} goes through a symbolic link")
                if current != path:
                    self._checked_dirs.add(current)
            real = Path(os.path.realpath(path))
        except OSError as error:
            raise PathRefused(f"path {relative!r} is unusable: {error.strerror or error}") from None
        if real != self.root and self.root not in real.parents:
            raise PathRefused(f"path {relative!r} is outside the source tree")
        return real

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def read_bytes(self, relative: str, limit: int | None = None) -> bytes:
        path = self.resolve(relative)
        limit = self.max_file_bytes if limit is None else limit
        try:
            # O_NOFOLLOW and the fstat check hold even if the tree changed since resolve().
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError as error:
            raise PathRefused(f"{relative!r} cannot be opened: {error.strerror or error}") from None
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise PathRefused(f"{relative!r} is not a regular file")
            return handle.read(limit)

    def read_text(self, relative: str, limit: int | None = None) -> str:
        return self.read_bytes(relative, limit).decode("utf-8", errors="replace")

    def line(self, relative: str, number: int) -> str:
        """Line ``number`` (1-based) of a file, or '' when there is none."""
        try:
            lines = self.read_text(relative).splitlines()
        except (OSError, PathRefused):
            return ""
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def with_suffix(self, *suffixes: str) -> list[str]:
        return [name for name in self.files if name.endswith(suffixes)]

    def python_files(self) -> list[str]:
        return self.with_suffix(".py", ".pyi")

    def __contains__(self, relative: str) -> bool:
        return relative in self._known

    def __iter__(self) -> Iterator[str]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)
