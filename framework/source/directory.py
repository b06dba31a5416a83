"""Copying a local directory into a snapshot: file by file, honouring .gitignore, never following a link."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from framework.source.ignore import IgnoreRules
from framework.source.snapshot import MAX_DEPTH, Snapshot, printable

ALWAYS_SKIPPED_DIRS = {".git", ".hg", ".svn"}
# Directories of build artefacts: listed once in the manifest, never copied.
# NOTE: ".codepanel" is the default workspace: `codepanel review .` must not snapshot its own runs.
ARTEFACT_DIRS = {"__pycache__": "compiled Python cache", "node_modules": "installed npm packages",
                 ".codepanel": "codepanel's workspace", ".codepanel-image": "codepanel's image build context",
                 ".aws-sam": "SAM's build output"}  # fmt: skip



def copy_directory(root: Path, snapshot: Snapshot) -> None:
    for relative, entry_stat in walk(root, snapshot):
        if not snapshot.admit(relative, entry_stat.st_size):
            continue
        try:
            data = _read_no_follow(root / relative, snapshot.limits.max_file_bytes)
        except OSError as error:
            snapshot.skip(relative, f"unreadable: {error.strerror or error}")
            continue
        snapshot.add(relative, data)


def walk(root: Path, snapshot: Snapshot) -> Iterator[tuple[str, os.stat_result]]:
    """Regular files under ``root`` in a stable order, honouring .gitignore files; never follows links."""
    ignore = IgnoreRules()
    stack: list[tuple[Path, str, int]] = [(root, "", 0)]
    while stack:
        directory, prefix, depth = stack.pop()
        ignore.enter(directory, prefix)
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name, reverse=True)
        except OSError as error:
            snapshot.skip(prefix or ".", f"unreadable directory: {error.strerror or error}")
            continue
        subdirectories = []
        for entry in reversed(entries):
            relative = f"{prefix}{entry.name}"
            try:
                entry_stat = entry.stat(follow_symlinks=False)
            except OSError as error:
                snapshot.skip(relative, f"unreadable: {error.strerror or error}")
                continue
            if snapshot.excluded and (own := snapshot.excluded.get(os.path.realpath(entry.path))):
                snapshot.skip(printable(relative) + ("/" if stat.S_ISDIR(entry_stat.st_mode) else ""), own)
            elif stat.S_ISLNK(entry_stat.st_mode):
                snapshot.skip(printable(relative), "symbolic link")
            elif stat.S_ISDIR(entry_stat.st_mode):
                if entry.name in ALWAYS_SKIPPED_DIRS:
                    continue
                if entry.name in ARTEFACT_DIRS:
                    snapshot.skip(relative + "/", ARTEFACT_DIRS[entry.name])
                    continue
                if ignore.ignored(relative, is_dir=True):
                    snapshot.skip(relative + "/", "ignored by .gitignore")
                elif depth + 1 >= MAX_DEPTH:
                    snapshot.skip(relative + "/", f"nested deeper than {MAX_DEPTH} directories")
                else:
                    subdirectories.append((Path(entry.path), relative + "/", depth + 1))
            elif not stat.S_ISREG(entry_stat.st_mode):
                snapshot.skip(printable(relative), "not a regular file")
            elif ignore.ignored(relative, is_dir=False):
                continue
            else:
                yield relative, entry_stat
        stack.extend(reversed(subdirectories))


def _read_no_follow(path: Path, limit: int) -> bytes:
    # NOTE: O_NOFOLLOW closes the window between the walk's lstat and this open, in which a
    # file could be swapped for a link to somewhere else.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(0, "not a regular file")
        return handle.read(limit)
