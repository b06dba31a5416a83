"""Newer Python syntax lowered to what the host Python parses: the fallback when ``ast.parse`` fails.

The engine reads the standard ``ast``. A file written for a newer grammar than the running
Python (PEP 701 f-strings, PEP 695 type parameters and ``type`` statements, PEP 758 ``except``
without parentheses, PEP 750 t-strings) is parsed with libcst, whose parser knows the grammars
of Python 3.0 to 3.15; the few constructs the host cannot read are rewritten into equivalent
older code, line for line, and the result goes through ``ast.parse`` as usual:

- an f-string (or t-string) becomes a parenthesized concatenation of its literal parts and
  ``format(value, spec)`` calls, which the engine follows like the f-string itself;
- ``type X[T] = value`` becomes ``X = value``; type parameters of functions and classes go;
- ``except A, B:`` becomes ``except (A, B):``.

Only files the host cannot parse come here (parsing.py imports this module, and libcst, only
then), so the speed on every other file is unchanged.
"""

from __future__ import annotations

import ast

import libcst


class LoweringFailed(Exception):
    """libcst could not parse the file either: a real syntax error, at ``line``."""

    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


def lower(source: str) -> str:
    """``source`` rewritten for the running Python; raises LoweringFailed if it is not valid Python."""
    try:
        module = libcst.parse_module(source)
    except libcst.ParserSyntaxError as error:
        raise LoweringFailed(error.raw_line, " ".join(error.message.split())[:200]) from None
    except (RecursionError, MemoryError, ValueError) as error:
        raise LoweringFailed(1, type(error).__name__) from None
    try:
        return module.visit(_Lowering()).code
    except Exception as error:  # noqa: BLE001 - a construct the lowering misses is no syntax error
        raise LoweringFailed(1, f"cannot lower: {type(error).__name__}: {error}"[:200]) from None


_FORMATTED = (libcst.FormattedString, libcst.TemplatedString)


class _Lowering(libcst.CSTTransformer):
    """Post-order rewrite: inner f-strings are lowered before the ones holding them.

    NOTE: a part of an implicit concatenation (``"a" f"{b}"``) must stay a string node for
    libcst, so the parts are left alone and the outermost concatenation is lowered as a whole.
    """

    def __init__(self) -> None:
        super().__init__()
        self._parts: set[int] = set()

    def visit_ConcatenatedString(self, node) -> None:
        self._parts.update((id(node.left), id(node.right)))

    def leave_ConcatenatedString(self, original, updated):
        if id(original) in self._parts:
            return updated
        parts, gaps = _flatten(updated)
        if not any(isinstance(part, _FORMATTED) for part in parts):
            return updated
        text = _string_code(parts[0])
        for gap, part in zip(gaps, parts[1:], strict=True):
            text += f"{gap}+ {_string_code(part)}"
        return _expression(text, updated)

    def leave_FormattedString(self, original, updated):
        return updated if id(original) in self._parts else _concatenation(updated)

    leave_TemplatedString = leave_FormattedString

    def leave_TypeAlias(self, original, updated):
            return libcst.Assign(targets=[libcst.AssignTarget(target=updated.name)], value=updated.value,
                             semicolon=updated.semicolon)  # fmt: skip

    def leave_FunctionDef(self, original, updated):
        return updated.with_changes(type_parameters=None) if updated.type_parameters else updated

    def leave_ClassDef(self, original, updated):
        return updated.with_changes(type_parameters=None) if updated.type_parameters else updated

    def leave_ExceptHandler(self, original, updated):
        return _parenthesized_types(updated)

    def leave_ExceptStarHandler(self, original, updated):
        return _parenthesized_types(updated)


def _flatten(node) -> tuple[list, list[str]]:
    """The strings of an implicit concatenation, and the whitespace between them."""
    parts, gaps = [], []
    while isinstance(node, libcst.ConcatenatedString):
        parts.append(node.left)
        gaps.append(_code(node.whitespace_between))
        node = node.right
    parts.append(node)
    return parts, gaps


def _string_code(node) -> str:
    return f"({_parts_code(node)})" if isinstance(node, _FORMATTED) else _code(node)


def _parenthesized_types(handler):
    kind = handler.type
    if isinstance(kind, libcst.Tuple) and not kind.lpar:
        return handler.with_changes(type=kind.with_changes(lpar=[libcst.LeftParen()], rpar=[libcst.RightParen()]))
    return handler


def _concatenation(string):
    """``f"a{b!r:>{w}}"`` -> ``("a" + format(repr(b), ">" + format(w, "")))``, keeping the lines."""
    return _expression(_parts_code(string), string)


def _expression(text: str, replaced):
    """``text`` parenthesized, inside the parentheses (and their line breaks) ``replaced`` had."""
    node = libcst.parse_expression(f"({text})")
    return node.with_changes(lpar=[*replaced.lpar, *node.lpar], rpar=[*node.rpar, *replaced.rpar])


def _parts_code(string) -> str:
    prefix = string.start.rstrip("'\"").lower()
    return _pieces(string.parts, "r" in prefix, string.start[len(prefix):])


def _pieces(parts, raw: bool, quote: str) -> str:
    pieces = []
    for part in parts:
        if isinstance(part, (libcst.FormattedStringText, libcst.TemplatedStringText)):
            pieces.append(_literal(part.value.replace("{{", "{").replace("}}", "}"), raw, quote))
            continue
        code = _code(part.expression)
        before, after = _code(part.whitespace_before_expression), _code(part.whitespace_after_expression)
        value = f"{before}{code}{after}"
        conversion = part.conversion
        if part.equal is not None:
            # ``f"{x=}"``: the expression's text, then its repr unless a conversion or spec is given
            # (the label's exact spacing is of no interest to the analysis; the lines are).
            pieces.append(repr(f"{code}="))
            value += _code(part.equal.whitespace_before) + _code(part.equal.whitespace_after)
            if conversion is None and part.format_spec is None:
                conversion = "r"
        if conversion:
            value = f"{ {'r': 'repr', 's': 'str', 'a': 'ascii'}.get(conversion, 'str')}({value})"
        spec = _pieces(part.format_spec, raw, quote) if part.format_spec else '""'
        pieces.append(f"format(({value}), {spec})")
    return " + ".join(pieces) if pieces else '""'


def _literal(text: str, raw: bool, quote: str) -> str:
    """A string literal for ``text`` (the f-string's own spelling), with as many lines as it had."""
    for candidate in (f"{'r' if raw else ''}{quote}{text}{quote}", f"{'r' if raw else ''}'''{text}'''",
                      f'{"r" if raw else ""}"""{text}"""'):  # fmt: skip
        try:
            if isinstance(ast.parse(candidate, mode="eval").body, ast.Constant):
                return candidate
        except SyntaxError:
            continue
    return repr(text)  # an odd corner (a raw text ending in a backslash): lines may shift here


def _code(node) -> str:
    return libcst.Module(body=[]).code_for_node(node)
