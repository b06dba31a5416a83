"""Repository functions that validate their argument, recognized by what they do, not their name.

Two shapes, found in the function's own statements (no dataflow needed):

- a *predicate*: it returns the outcome of a check on a parameter (``return name in ALLOWED``,
  ``return bool(PATTERN.fullmatch(name))``), or returns False (or None) when a check fails and
  True at the end. Used as a guard (``if not is_known(name): abort(400)``) it proves the check;
- a *checker*: it raises (or aborts) when a check on a parameter fails. Called as a statement
  (``check_name(name)``) or for its result (``name = clean(name)``), it proves the check on what
  follows.

A check is a membership or equality test, a prefix test, a validating string method, a regular
expression match, ``isinstance``, or ``os.path`` containment, on the parameter. Functions of
the file are classified as they are defined; those of another module when first used as a
guard (the module's file is parsed once per process, only then).
"""

from __future__ import annotations

import ast
from typing import NamedTuple

from reviewers.security.catalog import VALIDATING_METHODS

PREDICATE, CHECKER = "predicate", "checker"
_CHECK_METHODS = VALIDATING_METHODS | {"startswith", "endswith", "is_relative_to", "fullmatch", "match"}
_CHECK_CALLS = frozenset({"isinstance", "fullmatch", "match", "commonpath", "commonprefix", "isabs",
                          "ip_address", "ip_network"})  # fmt: skip
_STOPS = frozenset({"abort", "exit", "PermissionDenied", "SuspiciousOperation", "Http404", "HTTPException"})
_MAX_STATEMENTS = 40


class Validator(NamedTuple):
    shape: str  # PREDICATE or CHECKER
    checked: frozenset[str]  # the parameters checked
    positional: tuple[str, ...]  # the parameters in order, to match a call's arguments

    def arguments(self, call: ast.Call, bound: bool = False) -> list[ast.expr]:
        """The arguments of ``call`` that the validator checks."""
        positional = self.positional[1:] if bound else self.positional
        found = [arg for name, arg in zip(positional, call.args, strict=False) if name in self.checked]
        return found + [keyword.value for keyword in call.keywords if keyword.arg in self.checked]


def classify(node: ast.FunctionDef | ast.AsyncFunctionDef) -> Validator | None:
    """What the function validates, or None for any other function."""
    arguments = node.args
    positional = tuple(arg.arg for arg in (*arguments.posonlyargs, *arguments.args))
    params = {*positional, *(arg.arg for arg in arguments.kwonlyargs)} - {"self", "cls"}
    body = [statement for statement in node.body if not _docstring(statement)]
    if not params or not body or len(body) > _MAX_STATEMENTS:
        return None
    checked: set[str] = set()
    shape = None
    for statement in body:
        if isinstance(statement, ast.If) and not statement.orelse:
            subjects = _checked(statement.test, params)
            outcome = _branch_outcome(statement.body)
            if subjects and outcome is not None:
                checked |= subjects
                shape = shape or outcome
                continue
        if isinstance(statement, (ast.For, ast.If)):
            # ``for prefix in ALLOWED: if name.startswith(prefix): return True``
            inner = _loop_predicate(statement, params)
            if inner:
                checked |= inner
                shape = shape or PREDICATE
                continue
        if isinstance(statement, ast.Return):
            returned = statement.value
            if _is_true(returned) and shape == PREDICATE:
                continue
            subjects = _checked(returned, params) if returned is not None else set()
            if subjects and _boolean(returned):
                return Validator(PREDICATE, frozenset(checked | subjects), positional)
            if shape == CHECKER and (returned is None or _plain(returned)):
                continue
            if shape == PREDICATE and _is_false(returned):
                continue
            return None
        if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.Expr, ast.Assert)) and shape is None:
            if isinstance(statement, ast.Assert):
                subjects = _checked(statement.test, params)
                if subjects:
                    checked |= subjects
                    shape = CHECKER
            continue
        return None
    return Validator(shape, frozenset(checked), positional) if shape and checked else None


def _docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def _checked(test: ast.expr | None, params: set[str]) -> set[str]:
    """The parameters a condition checks (by one of the forms above)."""
    if test is None:
        return set()
    found: set[str] = set()
    for node in ast.walk(test):
        subject = None
        if isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn, ast.Eq, ast.NotEq))
                                                 for op in node.ops):  # fmt: skip
            subject = node.left
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if isinstance(func, ast.Attribute) and name in _CHECK_METHODS:
                subject = func.value if name not in ("fullmatch", "match") else (node.args[0] if node.args else None)
            elif name in _CHECK_CALLS and node.args:
                subject = node.args[0] if name in ("isinstance", "isabs", "ip_address", "ip_network") else node.args[-1]
        found |= _names_in(subject, params)
    return found


def _names_in(node: ast.expr | None, params: set[str]) -> set[str]:
    if node is None:
        return set()
    return {child.id for child in ast.walk(node) if isinstance(child, ast.Name) and child.id in params}


def _branch_outcome(body: list[ast.stmt]) -> str | None:
    last = body[-1]
    if isinstance(last, ast.Raise):
        return CHECKER
    if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call):
        func = last.value.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        return CHECKER if name in _STOPS else None
    if isinstance(last, ast.Return) and (last.value is None or _is_false(last.value)):
        return PREDICATE
    return None


def _loop_predicate(statement: ast.stmt, params: set[str]) -> set[str]:
    if not isinstance(statement, ast.For) or statement.orelse or len(statement.body) != 1:
        return set()
    inner = statement.body[0]
    if isinstance(inner, ast.If) and not inner.orelse and len(inner.body) == 1:
        returned = inner.body[0]
        if isinstance(returned, ast.Return) and _is_true(returned.value):
            return _checked(inner.test, params)
    return set()


def _boolean(node: ast.expr) -> bool:
    if isinstance(node, (ast.Compare, ast.BoolOp)):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return True
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        return name in ("bool", "isinstance") or name in _CHECK_METHODS or name in _CHECK_CALLS
    return False


def _plain(node: ast.expr) -> bool:
    """A checker's result: the checked value itself, or a plain transformation of it."""
    return isinstance(node, (ast.Name, ast.Attribute, ast.Constant, ast.Call, ast.JoinedStr, ast.BinOp))


def _is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _is_false(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value in (False, None)


def find(ctx, target: tuple[str, bool] | None) -> Validator | None:
    """The validator a call reaches (``target`` as ``ctx.repo_target`` gives it), if it is one."""
    if target is None:
        return None
    qualified = target[0]
    if qualified in ctx.validators:
        return ctx.validators[qualified]
    module, _, name = qualified.rpartition(".")
    index = ctx.index
    if module == ctx.module or module not in index.paths:
        return None
    if module not in index.scanned:
        index.scanned[module] = _scan(index.paths[module])
    return index.scanned[module].get(name)


def _scan(path: str) -> dict[str, Validator]:
    from reviewers.security.parsing import Skipped, decode, parse

    try:
        with open(path, "rb") as handle:
            text = decode(handle.read())
        tree = parse(text, path, text)
    except (OSError, Skipped):
        return {}
    found = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            shape = classify(node)
            if shape is not None:
                found[node.name] = shape
    return found
