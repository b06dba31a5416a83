"""Reading and parsing one file, whatever it holds: a file we cannot parse is skipped with a reason.

Syntax errors, Python 2 code, undecodable bytes and null bytes all become ``Skipped``. Code the
running Python cannot parse is tried again with a newer grammar (lowering.py) before it is
taken for a syntax error, so a review on Python 3.11 reads 3.12-3.14 code too. A large
file is parsed in chunks cut at top-level statements, so that the memory it takes is bounded
by the chunk, not the file (a single ``ast.parse`` of a 5 MB module takes close to 1 GB).
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from collections.abc import Iterator

CHUNK_BYTES = 256_000
# What a skip reason for a syntax error says was tried.
GRAMMARS = f"tried the Python {sys.version_info[0]}.{sys.version_info[1]} grammar and libcst's for Python 3.0-3.15"
_PY2_HINTS = ("Missing parentheses in call to 'print'", "Missing parentheses in call to 'exec'")
_PY2_SOURCE = re.compile(rb"^\s*(print\s+[\"'\w]|exec\s+[\"'\w]|except\s+\w+\s*,\s*\w+\s*:)", re.MULTILINE)


class Skipped(Exception):
    """The file cannot be analyzed; the message says why, in a few words."""


def decode(data: bytes) -> str:
    """The text of a source file, honouring a PEP 263 coding cookie."""
    if b"\0" in data:
        raise Skipped("contains null bytes (not a text file)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        if "missing encoding declaration" in str(error.msg):
            raise Skipped("not valid UTF-8 text") from None  # no declaration, and not UTF-8
        raise Skipped(f"invalid encoding declaration: {error.msg}") from None
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise Skipped(f"not valid {encoding.upper()} text") from None
    return text.removeprefix("\ufeff")


def chunks(text: str, filename: str, chunk_bytes: int = CHUNK_BYTES) -> Iterator[ast.Module]:
    """The module's top-level statements, as modules of about ``chunk_bytes`` each, in order."""
    if len(text) <= chunk_bytes:
        yield parse(text, filename, text)
        return
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines):
        end = _next_cut(lines, start, chunk_bytes)
        while True:
            try:
                module = _parse_chunk(lines, start, end, filename)
                break
            except SyntaxError as error:
                if end >= len(lines):
                    raise Skipped(_reason(error, text)) from None
                # The cut fell inside a statement (a string, brackets): take the next one too.
                end = _next_cut(lines, end, chunk_bytes // 4)
            except (ValueError, RecursionError, MemoryError) as error:
                raise Skipped(_other_reason(error)) from None
        if start:
            ast.increment_lineno(module, start)
        yield module
        start = end


def parse(source: str, filename: str, text: str) -> ast.Module:
    try:
        return _parse_any(source, filename)
    except SyntaxError as error:
        raise Skipped(_reason(error, text)) from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise Skipped(_other_reason(error)) from None


def _parse_any(source: str, filename: str) -> ast.Module:
    """The standard parser first (fast); newer syntax lowered for it when that fails."""
    try:
        return ast.parse(source, filename=filename)
    except SyntaxError as error:
        from reviewers.security.lowering import LoweringFailed, lower  # libcst only when needed

        try:
            lowered = lower(source)
        except LoweringFailed:
            # NOTE: the standard parser's message and line are kept: libcst's positions are
            # often a token late, and its messages list grammar symbols.
            raise error from None
        try:
            return ast.parse(lowered, filename=filename)
        except SyntaxError:
            raise error from None


def _parse_chunk(lines: list[str], start: int, end: int, filename: str) -> ast.Module:
    """One chunk; a syntax error in its last statement is taken for a bad cut, not newer syntax.

    NOTE: the newer-syntax fallback (libcst) costs many times the standard parser's memory on a
    chunk, so it is only tried when the error lies before the chunk's last top-level statement.
    """
    source = "".join(lines[start:end])
    if end >= len(lines):
        return _parse_any(source, filename)
    try:
        return ast.parse(source, filename=filename)
    except SyntaxError as error:
        last = next((index for index in range(end - 1, start, -1) if _starts_statement(lines[index])), start)
        if (error.lineno or 0) > last - start:
            raise
    return _parse_any(source, filename)


def _next_cut(lines: list[str], start: int, size: int) -> int:
    total = 0
    index = start
    while index < len(lines):
        total += len(lines[index])
        index += 1
        if total >= size and index < len(lines) and _cuts_between(lines[index - 1], lines[index]):
            return index
    return len(lines)


def _cuts_between(before: str, line: str) -> bool:
    """A top-level statement may start at ``line``: not after a decorator or a backslash."""
    return _starts_statement(line) and not before.startswith("@") and not before.rstrip("\r\n").endswith("\\")


def _starts_statement(line: str) -> bool:
    """A line that may start a top-level statement: a name or a decorator in the first column."""
    return bool(line) and (line[0].isalpha() or line[0] in "_@")



def _reason(error: SyntaxError, text: str) -> str:
    message = error.msg or "invalid syntax"
    if any(hint in message for hint in _PY2_HINTS) or _PY2_SOURCE.search(text.encode("utf-8", "replace")):
        return f"Python 2 syntax (line {error.lineno}: {message})"
    return f"syntax error at line {error.lineno}: {message} ({GRAMMARS})"


def _other_reason(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "too deeply nested to parse"
    if isinstance(error, MemoryError):
        return "too large to parse in memory"
    return " ".join(str(error).split())[:200] or type(error).__name__
