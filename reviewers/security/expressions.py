"""Evaluating expressions to abstract values, and binding values to assignment targets.

``Evaluator`` is mixed into the per-function dataflow (dataflow.FunctionFlow), which supplies
the environment (``self.env``), the file context (``self.ctx``) and the statements.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from reviewers.security import folding, guards, handlers, hardcoded
from reviewers.security.calls import evaluate_call
from reviewers.security.catalog import (
    KNOWN_CONSTANTS,
    REQUEST_OBJECTS,
    SANITIZING_ATTRS,
    SOURCE_ATTRS,
    display,
    known_names,
)
from reviewers.security.catalog_web import REQUEST_DATA_ATTRS
from reviewers.security.taint import (
    EMPTY,
    FORMATTED,
    NOCONST,
    REQUEST,
    REQUEST_DATA,
    REST,
    Value,
    add_step,
    cleanse,
    join,
    union,
    union_all,
)

_KNOWN_NAMES = known_names()
_REQUEST = frozenset({REQUEST})
_REQUEST_DATA = frozenset({REQUEST_DATA})
_FORMATTED = frozenset({FORMATTED})
# A constant start that fixes where a URL leads: a scheme and host (``https://api.example/``) for
# requests and redirects; a path (``/docs/``, not ``//``) for redirects.
_FIXED_HOST = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#\\]+[/?#]")
_HOST_FIXED = frozenset({"redirect", "ssrf"})
_PATH_FIXED = frozenset({"redirect"})
_CONTAINERS = {ast.List: "list", ast.Tuple: "tuple", ast.Set: "set"}
_COMPREHENSIONS = {ast.ListComp: "list", ast.SetComp: "set", ast.GeneratorExp: "list", ast.DictComp: "dict"}


class Evaluator:
    ctx: Any
    env: dict
    qname: str

    # -- dispatch ---------------------------------------------------------------------------

    def eval(self, node: ast.expr) -> Value:
        method = _DISPATCH.get(node.__class__)
        if method is None:
            return self.e_other(node)
        return method(self, node)

    def e_other(self, node: ast.AST) -> Value:
        taint = EMPTY
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                taint = union(taint, self.eval(child).flat())
        return Value(taint)

    # -- names, constants, attributes -----------------------------------------------------------

    def e_Constant(self, node: ast.Constant) -> Value:
        value = node.value
        if isinstance(value, str) and len(value) >= hardcoded.MIN_TOKEN:
            hardcoded.check_constant(self, node, value)
        return Value(const=value, kind="str" if isinstance(value, (str, bytes)) else None)

    def e_Name(self, node: ast.Name) -> Value:
        value = self.lookup(node.id)
        if value.ref in REQUEST_OBJECTS and not value.taint:
            # The request object itself: followed wherever it goes, data once read (taint.REQUEST).
            taint = cleanse(self.ctx.source("web", node, display(value.ref)), _REQUEST)
            return Value(taint, value.items, value.const, value.ref, value.kind)
        return value

    def lookup(self, name: str) -> Value:
        value = self.env.get(name)
        if value is not None:
            return value
        value = self.ctx.globals.get(name)
        if value is not None:
            if name in self.ctx.rebound_globals and value.const is not NOCONST:
                return Value(value.taint, value.items, NOCONST, value.ref, value.kind)
            return value
        for module in reversed(self.ctx.star_imports):
            candidate = f"{module}.{name}"
            if candidate in _KNOWN_NAMES:
                return Value(const=KNOWN_CONSTANTS.get(candidate, NOCONST), ref=candidate)
        ref = f"builtins.{name}"
        return Value(const=KNOWN_CONSTANTS.get(ref, NOCONST), ref=ref)

    def e_Attribute(self, node: ast.Attribute) -> Value:
        return self.attribute_of(self.eval(node.value), node.attr, node)

    def attribute_of(self, base: Value, attr: str, node: ast.AST) -> Value:
        if base.items is not None:
            known = base.items.get((".", attr))
            if known is not None:
                return known
        ref = f"{base.ref}.{attr}" if base.ref else None
        if ref is not None:
            kind = SOURCE_ATTRS.get(ref)
            if kind is not None:
                return Value(union(base.taint, self.ctx.source(kind, node, display(ref))), ref=ref)
            if ref in KNOWN_CONSTANTS:
                return Value(const=KNOWN_CONSTANTS[ref], ref=ref)
            kinds = SANITIZING_ATTRS.get(ref)
            if kinds is not None:
                return Value(cleanse(base.flat(), kinds), kind="str")
            owner = self.ctx.repo_class_of(base.ref)
            special = handlers.self_attribute(self.ctx, owner, attr, node) if owner else None
            if special is not None:
                return special
            if owner is not None:
                step = (self.ctx.path, node.lineno, f"attribute {attr} of {display(owner)}")
                # The object's own data counts only if this attribute holds it (resolve.py).
                held = add_step(cleanse(base.flat(), frozenset({f"?{owner}.{attr}"})), step)
                direct = {(("fld", owner, attr), frozenset()): (step,)}
                ref = self.ctx.field_refs.get((owner, attr)) or ref
                return Value(union(held, direct), ref=ref)
        if attr in REQUEST_DATA_ATTRS:
            # ``x.args``: input, if ``x`` turns out to be a request object (taint.REQUEST_DATA).
            return Value(cleanse(base.flat(), _REQUEST_DATA), ref=ref)
        return Value(base.flat(), ref=ref)

    # -- operators ----------------------------------------------------------------------------

    def e_BinOp(self, node: ast.BinOp, left: Value | None = None, right: Value | None = None) -> Value:
        left = self.eval(node.left) if left is None else left
        right = self.eval(node.right) if right is None else right
        const = folding.binary(node.op, left.const, right.const)
        if isinstance(node.op, ast.Add) and left.items is not None and right.items is not None:
            joined = _concatenate(left, right)
            if joined is not None:
                return joined
        kind = "str" if "str" in (left.kind, right.kind) or isinstance(const, str) else None
        ref = left.ref if isinstance(node.op, ast.Div) and left.ref == "pathlib.Path()" else None
        taint = union(left.flat(), right.flat())
        if kind == "str" and isinstance(node.op, (ast.Add, ast.Mod)) and taint and const is NOCONST:
            right_taint = fixed_start(right.flat(), left.const)
            taint = cleanse(union(left.flat(), right_taint), _FORMATTED)
        return Value(taint, const=const, kind=kind, ref=ref)

    def e_UnaryOp(self, node: ast.UnaryOp) -> Value:
        operand = self.eval(node.operand)
        return Value(const=folding.unary(node.op, operand.const))

    def e_BoolOp(self, node: ast.BoolOp) -> Value:
        result = None
        stop_on = isinstance(node.op, ast.Or)
        for operand in node.values:
            value = self.eval(operand)
            truth = folding.truth(value.const)
            if truth is not None and truth != stop_on:
                continue  # ``False or x``, ``True and x``: this operand is never the result
            result = join(result, value)
            if truth is not None:
                break  # ``x or "default"`` stops at a truthy constant
        return result or Value()

    def e_Compare(self, node: ast.Compare) -> Value:
        values = [self.eval(node.left)] + [self.eval(item) for item in node.comparators]
        return Value(const=folding.compare(node.ops, [value.const for value in values]))

    def e_IfExp(self, node: ast.IfExp) -> Value:
        test = self.eval(node.test)
        truth = folding.truth(test.const)
        if truth is True:
            return self.eval(node.body)
        if truth is False:
            return self.eval(node.orelse)
        return join(self._eval_refined(node.body, node.test, True),
                    self._eval_refined(node.orelse, node.test, False))  # fmt: skip

    def _eval_refined(self, node: ast.expr, test: ast.expr, truth: bool) -> Value:
        saved = self.env
        self.env = guards.refine(self, test, truth, dict(saved))
        try:
            return self.eval(node)
        finally:
            self.env = saved

    def e_Call(self, node: ast.Call) -> Value:
        return evaluate_call(self, node)

    # -- strings ------------------------------------------------------------------------------

    def e_JoinedStr(self, node: ast.JoinedStr) -> Value:
        values = node.values
        start = values[0].value if values and isinstance(values[0], ast.Constant) else None
        taint = union_all(self.eval(part).flat() for part in values)
        return Value(cleanse(fixed_start(taint, start), _FORMATTED), kind="str")

    def e_FormattedValue(self, node: ast.FormattedValue) -> Value:
        value = self.eval(node.value)
        if node.format_spec is not None:
            self.eval(node.format_spec)
        return Value(value.flat(), kind="str")

    # -- containers -----------------------------------------------------------------------------

    def e_List(self, node: ast.List | ast.Tuple | ast.Set) -> Value:
        items: dict = {}
        rest = EMPTY
        known = True
        for index, element in enumerate(node.elts):
            if isinstance(element, ast.Starred):
                known = False
                rest = union(rest, self.eval(element.value).flat())
            elif known:
                items[index] = self.eval(element)
            else:
                rest = union(rest, self.eval(element).flat())
        if rest:
            items[REST] = Value(rest)
        kind = _CONTAINERS[node.__class__]
        const = NOCONST
        if known and all(item.const is not NOCONST for item in items.values()):
            consts = [items[index].const for index in range(len(items))]
            const = _freeze(consts, kind)
        return Value(items=items, const=const, kind=kind)

    e_Tuple = e_List
    e_Set = e_List

    def e_Dict(self, node: ast.Dict) -> Value:
        items: dict = {}
        taint = EMPTY
        constant = True
        for key_node, value_node in zip(node.keys, node.values, strict=True):
            value = self.eval(value_node)
            if key_node is None:  # ``**other``
                taint = union(taint, value.flat())
                constant = False
                continue
            key = self.eval(key_node)
            if key.const is not NOCONST and _hashable(key.const):
                items[key.const] = value
                constant = constant and value.const is not NOCONST
            else:
                taint = union(taint, union(key.flat(), value.flat()))
                constant = False
        const = NOCONST
        if constant:
            const = tuple(items) if len(items) <= 10_000 else NOCONST
        return Value(taint, items, const=const, kind="dict")

    def e_Subscript(self, node: ast.Subscript) -> Value:
        base = self.eval(node.value)
        if isinstance(node.slice, ast.Slice):
            self.eval(node.slice)
            return Value(base.flat(), kind=base.kind)
        key = self.eval(node.slice)
        # NOTE: the index's own taint is left out: ``ALLOWED[name]`` is a value from the table.
        if key.const is not NOCONST and _hashable(key.const) and base.items is not None:
            return base.item(key.const)
        const = NOCONST
        if base.const is not NOCONST and key.const is not NOCONST:
            try:
                const = base.const[key.const] if not isinstance(base.const, tuple) or base.kind != "dict" else NOCONST
            except Exception:  # noqa: BLE001 - folding an odd index gives nothing
                const = NOCONST
        return Value(base.flat(), const=const if isinstance(const, (str, int, float, bool)) else NOCONST)

    def e_Slice(self, node: ast.Slice) -> Value:
        return self.e_other(node)

    def e_Starred(self, node: ast.Starred) -> Value:
        return Value(self.eval(node.value).flat())

    def e_ListComp(self, node) -> Value:
        saved = self.env
        self.env = dict(saved)
        try:
            for generator in node.generators:
                element = iteration_element(self.eval(generator.iter))
                self.bind(generator.target, element, generator.iter.lineno, step=False)
                for condition in generator.ifs:
                    self.eval(condition)
                    self.env = guards.refine(self, condition, True, self.env)
            if isinstance(node, ast.DictComp):
                taint = union(self.eval(node.key).flat(), self.eval(node.value).flat())
            else:
                taint = self.eval(node.elt).flat()
        finally:
            self.env = saved
        kind = _COMPREHENSIONS[node.__class__]
        return Value(taint, kind=kind)

    e_SetComp = e_ListComp
    e_GeneratorExp = e_ListComp
    e_DictComp = e_ListComp

    # -- the rest -----------------------------------------------------------------------------

    def e_Lambda(self, node: ast.Lambda) -> Value:
        return Value()

    def e_NamedExpr(self, node: ast.NamedExpr) -> Value:
        value = self.eval(node.value)
        self.bind(node.target, value, node.lineno)
        return value

    def e_Await(self, node: ast.Await) -> Value:
        return self.eval(node.value)

    def e_Yield(self, node: ast.Yield | ast.YieldFrom) -> Value:
        if node.value is not None:
            self.returned(self.eval(node.value), node)
        return Value()

    e_YieldFrom = e_Yield

    def returned(self, value: Value, node: ast.AST) -> None:
        raise NotImplementedError

    def bind(self, target: ast.expr, value: Value, line: int, step: bool = True) -> None:
        raise NotImplementedError  # binding.Binder

    def sink(self, rule: str, node: ast.AST, taint: dict, what: str) -> None:
        raise NotImplementedError  # dataflow.FunctionFlow


def fixed_start(taint: dict, start: Any) -> dict:
    """``taint`` put after the constant ``start``: safe for redirects and requests if it fixes the target."""
    if not taint or not isinstance(start, str):
        return taint
    if _FIXED_HOST.match(start):
        return cleanse(taint, _HOST_FIXED)
    if len(start) > 1 and start[0] == "/" and start[1] not in "/\\":
        return cleanse(taint, _PATH_FIXED)
    return taint


def iteration_element(iterable: Value) -> Value:
    """What ``for x in iterable`` binds to ``x``."""
    if iterable.items:
        element = None
        for key, item in iterable.items.items():
            element = join(element, item if key != REST else Value(item.flat()))
        if iterable.kind == "dict":
            return Value(iterable.flat())
        return element.with_taint(union(element.taint, iterable.taint)) if element else Value(iterable.taint)
    return Value(iterable.flat())


def _concatenate(left: Value, right: Value) -> Value | None:
    if left.kind not in ("list", "tuple") or right.kind != left.kind:
        return None
    items = dict(left.items)
    if REST in items or not all(isinstance(key, int) for key in items):
        return Value(union(left.flat(), right.flat()), kind=left.kind)
    offset = len(items)
    for key, item in right.items.items():
        items[key + offset if isinstance(key, int) else key] = item
    const = folding.binary(ast.Add(), left.const, right.const)
    return Value(union(left.taint, right.taint), items, const=const, kind=left.kind)


def _freeze(consts: list, kind: str) -> Any:
    try:
        return frozenset(consts) if kind == "set" else tuple(consts)
    except TypeError:
        return NOCONST


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _build_dispatch() -> dict:
    table = {}
    for name in dir(Evaluator):
        if name.startswith("e_") and name != "e_other":
            node_class = getattr(ast, name[2:], None)
            if node_class is not None:
                table[node_class] = getattr(Evaluator, name)
    return table


_DISPATCH = _build_dispatch()
