"""What a condition proves about a variable, in the branch where it holds.

``if name in ALLOWED:``, ``if not value.isdigit(): return``, ``if not path.startswith(BASE):
abort(403)`` (after ``realpath``): in the branch the test lets through, the variable is
validated, so the data it holds is cleansed for the sinks the check protects.
"""

from __future__ import annotations

import ast
import re

from reviewers.security import validators
from reviewers.security.catalog import URL_PARSERS, VALIDATING_METHODS, VALIDATOR_WORDS, VALIDATORS
from reviewers.security.rules import ALL_KINDS
from reviewers.security.taint import NO_DOTS, NOCONST, NORM, RELATIVE

_URL_PARTS = frozenset({"netloc", "hostname", "scheme", "host"})
_PREFIX_CHECKS = frozenset({"startswith", "is_relative_to"})
_REDIRECT = frozenset({"redirect", "ssrf"})
_PATH = frozenset({"path"})
_NO_DOTS = frozenset({NO_DOTS})
_RELATIVE = frozenset({RELATIVE})
# A pattern that lets anything through proves nothing: ``.*``, ``\S+``, ``[^x]``.
_LOOSE_PATTERN = re.compile(r"(?<!\\)\.[*+]|\\S|\[\^")


def refine(flow, test: ast.expr, truth: bool, env: dict) -> dict:
    """``env`` narrowed by knowing that ``test`` evaluated to ``truth``; may update it in place.

    NOTE: the check validates the *data* the variable holds, so every variable holding the
    same data (``folder = dirname(path)`` before ``if not is_within(base, path): raise``) is
    cleansed too: taint keys are cleansed wherever they are, not just in the tested name.
    """
    for name, effect in _facts(flow, test, truth):
        value = env.get(name) or flow.lookup(name)
        normalized = effect == "path-checked"
        atoms = frozenset(atom for atom, cleansed in value.flat() if NORM in cleansed or not normalized)
        if not atoms:
            continue
        kinds = _PATH if normalized else effect

        def applies(key: tuple, atoms=atoms, normalized=normalized) -> bool:
            return key[0] in atoms and (NORM in key[1] or not normalized)

        def fix(taint: dict, applies=applies, kinds=kinds) -> dict:
            if not any(applies(key) for key in taint):
                return taint
            return {(key[0], key[1] | kinds) if applies(key) else key: path for key, path in taint.items()}

        if name not in env:
            env[name] = value
        for variable, current in list(env.items()):
            if any(applies(key) for key in current.flat()):
                env[variable] = current.map_taint(fix)
    return env


def _facts(flow, test: ast.expr, truth: bool) -> list[tuple[str, object]]:
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _facts(flow, test.operand, not truth)
    if isinstance(test, ast.BoolOp):
        proves_all = isinstance(test.op, ast.And) == truth
        if not proves_all:
            return []
        return [fact for value in test.values for fact in _facts(flow, value, truth)]
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        return _compare_facts(flow, test, truth)
    if isinstance(test, ast.Call):
        return _call_facts(flow, test) if truth else _refuted_call_facts(flow, test)
    return []


def _compare_facts(flow, test: ast.Compare, truth: bool) -> list[tuple[str, object]]:
    op, left, right = test.ops[0], test.left, test.comparators[0]
    membership = (isinstance(op, ast.In) and truth) or (isinstance(op, ast.NotIn) and not truth)
    if not membership and isinstance(op, (ast.In, ast.NotIn)) and _is_constant(left, ".."):
        return [(name, _NO_DOTS) for name in _names(right)]  # ``if ".." in name: reject``
    equality = (isinstance(op, ast.Eq) and truth) or (isinstance(op, ast.NotEq) and not truth)
    if membership and _constant_collection(flow, right):
        return _subject(flow, left)
    if equality:
        for subject, other in ((left, right), (right, left)):
            if _pure(other) and flow.eval(other).const is not NOCONST:
                return _subject(flow, subject)
        if _is_commonpath(flow, left) or _is_commonpath(flow, right):
            call = left if _is_commonpath(flow, left) else right
            elements = call.args[0].elts if call.args and isinstance(call.args[0], (ast.List, ast.Tuple)) else []
            return [(name, "path-checked") for element in elements for name in _names(element)]
    return []


def _call_facts(flow, call: ast.Call) -> list[tuple[str, object]]:
    func = call.func
    if isinstance(func, ast.Attribute):
        if func.attr in VALIDATING_METHODS:
            return [(name, ALL_KINDS) for name in _names(func.value)]
        if func.attr in _PREFIX_CHECKS:
            return [(name, "path-checked") for name in _names(_unwrap_str(func.value))]
    if not _pure(func):
        return []
    ref = flow.eval(func).ref
    if ref in VALIDATORS and call.args:
        return [(name, VALIDATORS[ref]) for name in _names(call.args[0])]
    target = flow.ctx.repo_target(ref) if ref else None
    if target and any(word in ref.rsplit(".", 1)[-1].lower() for word in VALIDATOR_WORDS):
        return [(name, ALL_KINDS) for argument in call.args for name in _names(argument)]
    validator = validators.find(flow.ctx, target)
    if validator is not None:
        return [(name, ALL_KINDS) for argument in validator.arguments(call, target[1]) for name in _names(argument)]
    if ref in ("re.fullmatch", "re.match") and len(call.args) >= 2 and _pure(call.args[0]):
        pattern = flow.eval(call.args[0]).const
        if isinstance(pattern, str) and _strict_pattern(pattern, ref == "re.fullmatch"):
            return [(name, ALL_KINDS) for name in _names(call.args[1])]
    if ref == "builtins.isinstance" and len(call.args) == 2 and _numeric_types(call.args[1]):
        return [(name, ALL_KINDS) for name in _names(call.args[0])]
    return []


def after_check(flow, call: ast.Call, env: dict) -> dict:
    """After a call to a repository function that raises unless its argument passes a check."""
    if not _pure(call.func):
        return env
    ref = flow.eval(call.func).ref
    target = flow.ctx.repo_target(ref) if ref else None
    validator = validators.find(flow.ctx, target)
    if validator is None or validator.shape != validators.CHECKER:
        return env
    return refine(flow, call, True, env)


def _refuted_call_facts(flow, call: ast.Call) -> list[tuple[str, object]]:
    """Facts from a call that returned False: ``name.startswith("/")``, ``os.path.isabs(name)``."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "startswith" and call.args:
        prefixes = call.args[0].elts if isinstance(call.args[0], ast.Tuple) else [call.args[0]]
        if any(_is_constant(prefix, "/") for prefix in prefixes):
            return [(name, _RELATIVE) for name in _names(func.value)]
    if _pure(func) and call.args and flow.eval(func).ref in ("os.path.isabs", "posixpath.isabs"):
        return [(name, _RELATIVE) for name in _names(call.args[0])]
    return []


def _is_constant(node: ast.expr, value: str) -> bool:
    return isinstance(node, ast.Constant) and node.value == value


def _subject(flow, node: ast.expr) -> list[tuple[str, object]]:
    """The variable a membership or equality test is about, and what the test proves."""
    names = _names(node)
    if names:
        return [(name, ALL_KINDS) for name in names]
    # ``urlparse(url).netloc in ALLOWED_HOSTS`` proves where ``url`` leads, not what it holds.
    if isinstance(node, ast.Attribute) and node.attr in _URL_PARTS:
        inner = node.value
        if isinstance(inner, ast.Call) and inner.args and flow.eval(inner.func).ref in URL_PARSERS:
            return [(name, _REDIRECT) for name in _names(inner.args[0])]
    return []


def _names(node: ast.expr | None) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.NamedExpr):
        return [node.target.id]
    return []


def _unwrap_str(node: ast.expr) -> ast.expr:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "str" and node.args:
        return node.args[0]
    return node


def _pure(node: ast.expr) -> bool:
    """Evaluating ``node`` again records nothing (no call in it), so a guard may look at it."""
    return not any(isinstance(child, (ast.Call, ast.NamedExpr, ast.Yield, ast.YieldFrom, ast.Await))
                   for child in ast.walk(node))  # fmt: skip


def _constant_collection(flow, node: ast.expr) -> bool:
    if not _pure(node):
        return False
    value = flow.eval(node)
    return isinstance(value.const, (tuple, frozenset)) and not value.taint


def _is_commonpath(flow, node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and flow.eval(node.func).ref in ("os.path.commonpath", "posixpath.commonpath")


def _numeric_types(node: ast.expr) -> bool:
    names = node.elts if isinstance(node, ast.Tuple) else [node]
    return all(isinstance(name, ast.Name) and name.id in ("int", "float", "bool") for name in names)


def _strict_pattern(pattern: str, full: bool) -> bool:
    if _LOOSE_PATTERN.search(pattern):
        return False
    return full or pattern.endswith(("$", r"\Z"))
