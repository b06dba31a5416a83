"""Constant folding: the value of an operator applied to compile-time constants, when it is cheap.

``if DEBUG:`` with ``DEBUG = False``, ``if 0:``, ``"md5" if LEGACY else "sha256"``: a branch
whose condition folds to a constant is dead, so nothing it assigns reaches the code after it.
"""

from __future__ import annotations

import ast
import operator
from typing import Any

from reviewers.security.taint import NOCONST

# Larger results are not worth computing: folding must never be a way to exhaust memory.
MAX_SEQUENCE = 10_000
MAX_INT_BITS = 4_096

_BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
    ast.LShift: operator.lshift, ast.RShift: operator.rshift, ast.BitOr: operator.or_,
    ast.BitXor: operator.xor, ast.BitAnd: operator.and_,
}  # fmt: skip
_COMPARE = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}  # fmt: skip
_UNARY = {ast.Not: operator.not_, ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Invert: operator.invert}
_SIMPLE = (str, bytes, int, float, bool, type(None), tuple, frozenset)


def binary(op: ast.operator, left: Any, right: Any) -> Any:
    if left is NOCONST or right is NOCONST or not _cheap(op, left, right):
        return NOCONST
    function = _BINARY.get(type(op))
    if function is None or isinstance(left, frozenset) or isinstance(right, frozenset):
        return NOCONST
    if isinstance(op, ast.Mod) and isinstance(left, (str, bytes)):
        return NOCONST  # %-formatting of constants: rare in conditions, and it can raise oddly
    return _apply(function, left, right)


def compare(ops: list[ast.cmpop], values: list[Any]) -> Any:
    if any(value is NOCONST for value in values):
        return NOCONST
    for op, left, right in zip(ops, values, values[1:], strict=False):
        function = _COMPARE.get(type(op))
        if function is None:
            return NOCONST
        result = _apply(function, left, right)
        if result is NOCONST:
            return NOCONST
        if not result:
            return False
    return True


def unary(op: ast.unaryop, operand: Any) -> Any:
    if operand is NOCONST:
        return NOCONST
    return _apply(_UNARY[type(op)], operand)


def truth(value: Any) -> bool | None:
    """True or False when ``value`` is a known constant, else None."""
    if value is NOCONST:
        return None
    try:
        return bool(value)
    except Exception:  # noqa: BLE001 - an odd constant: unknown
        return None


def _apply(function, *args: Any) -> Any:
    try:
        result = function(*args)
    except Exception:  # noqa: BLE001 - what would raise at run time folds to nothing
        return NOCONST
    return result if isinstance(result, _SIMPLE) else NOCONST


def _cheap(op: ast.operator, left: Any, right: Any) -> bool:
    if isinstance(op, ast.Mult):
        for sequence, count in ((left, right), (right, left)):
            if isinstance(sequence, (str, bytes, tuple)) and isinstance(count, int):
                return len(sequence) * max(count, 0) <= MAX_SEQUENCE
    if isinstance(op, ast.Pow) and isinstance(left, int) and isinstance(right, int):
        return right < 0 or left.bit_length() * right <= MAX_INT_BITS
    if isinstance(op, ast.LShift) and isinstance(right, int):
        return right <= MAX_INT_BITS
    if isinstance(op, ast.Add) and isinstance(left, (str, bytes, tuple)):
        return len(left) + len(right) <= MAX_SEQUENCE if hasattr(right, "__len__") else True
    return True
