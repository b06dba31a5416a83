""".gitignore rules, nested ones included, for snapshotting a local directory."""

from __future__ import annotations

from pathlib import Path

import pathspec

MAX_IGNORE_FILE_BYTES = 256_000


class IgnoreRules:
    """The .gitignore files met so far on a walk, each applying below its own directory."""

    def __init__(self) -> None:
        self._specs: list[tuple[str, pathspec.GitIgnoreSpec]] = []

    def enter(self, directory: Path, prefix: str) -> None:
        """Read ``directory``'s .gitignore, if it has a regular one (``prefix`` is its relative path)."""
        path = directory / ".gitignore"
        try:
            if path.is_symlink() or not path.is_file():
                return
            with open(path, "rb") as handle:
                text = handle.read(MAX_IGNORE_FILE_BYTES).decode("utf-8", "replace")
        except OSError:
            return
        self._specs.append((prefix, pathspec.GitIgnoreSpec.from_lines(text.splitlines())))

    def ignored(self, relative: str, is_dir: bool) -> bool:
        for prefix, spec in self._specs:
            if relative.startswith(prefix):
                local = relative[len(prefix):]
                if spec.match_file(local + "/" if is_dir else local):
                    return True
        return False
