"""The highlighted code of the HTML report: the lines around findings and the lines of their paths.

Read from the run's ``source/`` snapshot through ``SourceTree`` (so no path leaves it) and
highlighted by Pygments. The lines a report needs are asked for first (``want``); then each file's
wanted lines, merged into ranges, are highlighted once, however many findings and path steps
share them. Highlighting costs far more than anything else in the report, so it is done per
range, not per snippet, and never for a whole file nobody looks at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from framework.errors import PathRefused
from framework.findings import Finding
from framework.tree import SourceTree

CONTEXT_LINES = 3
MAX_SPAN_LINES = 20
MAX_LINE_CHARS = 400
# Lexers by file suffix, found without Pygments' search of every lexer's file patterns.
LEXER_NAMES = {".py": "python", ".pyi": "python", ".js": "javascript", ".mjs": "javascript",
               ".ts": "typescript", ".go": "go", ".rb": "ruby", ".java": "java", ".rs": "rust",
               ".sh": "bash", ".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml",
               ".html": "html", ".c": "c", ".h": "c", ".cpp": "cpp", ".php": "php"}  # fmt: skip


class CodeView:
    """Highlighted lines of the snapshot, for the findings and path steps that ask for them."""

    def __init__(self, source_dir: str | Path | None):
        from pygments.formatters import HtmlFormatter

        usable = source_dir is not None and Path(source_dir).is_dir()
        self.tree = SourceTree(source_dir, []) if usable else None
        # One formatter for every range: building one costs more than highlighting a snippet.
        self.formatter = HtmlFormatter(cssclass="code", nowrap=True)
        self.source: dict[str, list[str]] = {}
        self.wanted: dict[str, set[int]] = {}
        self.highlighted: dict[str, dict[int, str]] = {}
        self.lexers: dict[str, Any] = {}

    def css(self) -> str:
        return self.formatter.get_style_defs(".code")

    def span(self, finding: Finding) -> tuple[int, int, int, int] | None:
        """The lines shown around a finding: (first, first marked, last marked, last), or None."""
        lines = self._lines(finding.file)
        if not lines or finding.line > len(lines):
            return None
        end = min(max(finding.end_line or finding.line, finding.line), finding.line + MAX_SPAN_LINES,
                  len(lines))  # fmt: skip
        first, last = max(1, finding.line - CONTEXT_LINES), min(len(lines), end + CONTEXT_LINES)
        return first, finding.line, end, last

    def want(self, file: str, first: int, last: int) -> None:
        """Ask for lines ``first``..``last`` of ``file`` (1-based, both included)."""
        count = len(self._lines(file))
        if count and first <= count:
            self.wanted.setdefault(file, set()).update(range(max(1, first), min(last, count) + 1))

    def want_around(self, finding: Finding) -> None:
        if (span := self.span(finding)) is not None:
            self.want(finding.file, span[0], span[3])

    def around(self, finding: Finding) -> str:
        """The code around a finding, its own lines marked, or '' when the file cannot be read."""
        if (span := self.span(finding)) is None:
            return ""
        first, start, end, last = span
        rows = []
        for number in range(first, last + 1):
            marked = " hll" if start <= number <= end else ""
            rows.append(f'<span class="line{marked}"><span class="linenos">{number}</span>'
                        f"{self.line(finding.file, number)}</span>")  # fmt: skip
        return f'<div class="code"><pre>{"".join(rows)}</pre></div>'

    def line(self, file: str, number: int) -> str | None:
        """One highlighted line, or None when it was not asked for or does not exist."""
        if file in self.wanted:
            self._highlight(file)
        return self.highlighted.get(file, {}).get(number)

    def _highlight(self, file: str) -> None:
        from pygments import highlight

        numbers = sorted(self.wanted.pop(file))
        lines = self._lines(file)
        done = self.highlighted.setdefault(file, {})
        lexer = self._lexer(file)
        ranges: list[list[int]] = []
        for number in numbers:
            # NOTE: a gap of a few lines is highlighted too: one range lexes faster than two.
            if ranges and number - ranges[-1][1] <= CONTEXT_LINES + 1:
                ranges[-1][1] = number
            else:
                ranges.append([number, number])
        for first, last in ranges:
            text = "\n".join(line[:MAX_LINE_CHARS] for line in lines[first - 1 : last]) + "\n"
            rows = highlight(text, lexer, self.formatter).split("\n")
            done.update(zip(range(first, last + 1), rows, strict=False))

    def _lines(self, path: str) -> list[str]:
        if path not in self.source:
            try:
                self.source[path] = (
                    self.tree.read_text(path).splitlines() if self.tree is not None else []
                )
            except (OSError, PathRefused, ValueError):
                self.source[path] = []
        return self.source[path]

    def _lexer(self, path: str) -> Any:
        from pygments.lexers import TextLexer, get_lexer_by_name, get_lexer_for_filename
        from pygments.util import ClassNotFound

        suffix = Path(path).suffix.lower() or Path(path).name
        if suffix not in self.lexers:
            options = {"stripnl": False, "ensurenl": True}
            try:
                if suffix in LEXER_NAMES:
                    self.lexers[suffix] = get_lexer_by_name(LEXER_NAMES[suffix], **options)
                else:
                    self.lexers[suffix] = get_lexer_for_filename(Path(path).name, **options)
            except ClassNotFound:
                self.lexers[suffix] = TextLexer(stripnl=False)
        return self.lexers[suffix]
