"""The agent's tools: read-only, confined to the run's source, bounded in size and count.

Every path goes through ``SourceTree.resolve`` (relative, inside the source, no symbolic link)
and must be a file of the review. Each call counts against ``limits.max_files_read``. No tool
writes anything or runs a command; an agent's only output is its structured result.
"""

from __future__ import annotations

import fnmatch
import threading
from typing import Any

from framework.errors import PathRefused
from framework.tree import SourceTree

MAX_LISTED = 500
MAX_LINES_READ = 400
MAX_CHARS_READ = 40_000
MAX_SEARCH_HITS = 50
MAX_SEARCH_BYTES = 20_000_000
MAX_QUERY_CHARS = 200


class ToolError(ValueError):
    """A refused or failed tool call: the message goes back to the model as an error result."""


class ReadBudget:
    """Counts tool calls against ``max_files_read``; safe to share between tool threads."""

    def __init__(self, max_files_read: int):
        self.limit = max_files_read
        self.used = 0
        self.refused = 0
        self._lock = threading.Lock()

    def take(self) -> None:
        with self._lock:
            if self.used >= self.limit:
                self.refused += 1
                raise ToolError(
                    f"limit reached: limits.max_files_read={self.limit} tool calls; "
                    "stop reading and return your result now"
                )
            self.used += 1

    @property
    def exhausted(self) -> bool:
        return self.refused > 0


class SourceTools:
    """The operations behind the agent's tools, callable (and tested) without Strands."""

    def __init__(self, tree: SourceTree, budget: ReadBudget):
        self.tree = tree
        self.budget = budget

    def list_files(self, directory: str = "", pattern: str = "*") -> str:
        self.budget.take()
        prefix = _directory_prefix(directory)
        pattern = _pattern(pattern)
        names = [
            name for name in self.tree.files
            if name.startswith(prefix) and fnmatch.fnmatchcase(name.rsplit("/", 1)[-1], pattern)
        ]  # fmt: skip
        shown = names[:MAX_LISTED]
        lines = [f"{len(names)} files" + (f" (first {MAX_LISTED} shown)" if len(names) > MAX_LISTED else "")]
        return "\n".join(lines + shown)

    def read_file(self, path: str, start_line: int = 1, end_line: int | None = None) -> str:
        self.budget.take()
        self._check_file(path)
        try:
            lines = self.tree.read_text(path).splitlines()
        except (OSError, PathRefused) as error:
            raise ToolError(f"cannot read {path!r}: {error}") from None
        start = max(1, int(start_line))
        end = len(lines) if end_line is None else min(len(lines), int(end_line))
        end = min(end, start + MAX_LINES_READ - 1)
        if start > max(len(lines), 1):
            raise ToolError(f"{path} has {len(lines)} lines; start_line {start} is past the end")
        body, size = [], 0
        for number in range(start, end + 1):
            line = f"{number:>6}  {lines[number - 1]}"
            if size + len(line) > MAX_CHARS_READ:
                end = number - 1
                break
            body.append(line)
            size += len(line) + 1
        header = f"{path}: lines {start}-{end} of {len(lines)}"
        if end < len(lines):
            header += f" (read on with start_line={end + 1})"
        return "\n".join([header, *body])

    def search_text(self, text: str, directory: str = "", pattern: str = "*") -> str:
        self.budget.take()
        if not isinstance(text, str) or not text.strip():
            raise ToolError("text must be a non-empty string")
        if len(text) > MAX_QUERY_CHARS:
            raise ToolError(f"text is longer than {MAX_QUERY_CHARS} characters")
        prefix = _directory_prefix(directory)
        pattern = _pattern(pattern)
        needle = text.lower()
        hits: list[str] = []
        scanned = 0
        for name in self.tree.files:
            if not name.startswith(prefix) or not fnmatch.fnmatchcase(name.rsplit("/", 1)[-1], pattern):
                continue
            if scanned >= MAX_SEARCH_BYTES:
                hits.append(f"(stopped after {MAX_SEARCH_BYTES} bytes; narrow it with directory or pattern)")
                break
            try:
                content = self.tree.read_text(name)
            except (OSError, PathRefused):
                continue
            scanned += len(content)
            for number, line in enumerate(content.splitlines(), start=1):
                if needle in line.lower():
                    hits.append(f"{name}:{number}: {line.strip()[:200]}")
                    if len(hits) >= MAX_SEARCH_HITS:
                        return "\n".join([f"first {MAX_SEARCH_HITS} matches", *hits])
        return "\n".join([f"{len(hits)} matches" if hits else "no matches", *hits])

    def _check_file(self, path: str) -> None:
        try:
            self.tree.resolve(path)
        except PathRefused as error:
            raise ToolError(str(error)) from None
        if path not in self.tree:
            raise ToolError(f"{path!r} is not a file of this review; use list_files to see them")


def _directory_prefix(directory: str) -> str:
    directory = (directory or "").strip().replace("\\", "/")
    if directory.startswith("/") or ".." in directory.split("/"):
        raise ToolError(f"directory {directory!r} is outside the source tree")
    directory = directory.strip("/").removeprefix("./")
    return "" if directory in ("", ".") else directory + "/"


def _pattern(pattern: str) -> str:
    pattern = pattern or "*"
    if len(pattern) > MAX_QUERY_CHARS:
        raise ToolError(f"pattern is longer than {MAX_QUERY_CHARS} characters")
    return pattern


def strands_tools(tools: SourceTools) -> list[Any]:
    """The Strands tools an agent is given: list_files, read_file and search_text."""
    from strands import tool

    @tool
    def list_files(directory: str = "", pattern: str = "*") -> str:
        """List the files under review.

        Args:
            directory: Only files under this folder (relative to the repository root); empty for all.
            pattern: Only file names matching this glob, e.g. "*.py".
        """
        return tools.list_files(directory, pattern)

    @tool
    def read_file(path: str, start_line: int = 1, end_line: int | None = None) -> str:
        """Read a file of the review, or a range of its lines, with line numbers.

        Args:
            path: The file's path relative to the repository root, as list_files shows it.
            start_line: First line to read (1-based).
            end_line: Last line to read; at most 400 lines are returned per call.
        """
        return tools.read_file(path, start_line, end_line)

    @tool
    def search_text(text: str, directory: str = "", pattern: str = "*") -> str:
        """Find the lines that contain a text (case-insensitive, not a regular expression).

        Args:
            text: The text to look for.
            directory: Only search under this folder; empty for all.
            pattern: Only search file names matching this glob, e.g. "*.py".
        """
        return tools.search_text(text, directory, pattern)

    return [list_files, read_file, search_text]


TOOL_NAMES = ("list_files", "read_file", "search_text")
