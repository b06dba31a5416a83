"""The dataflow of one function: statements, branches, loops, and what reaches sinks and returns.

The analysis is flow-sensitive: the environment maps each variable to its abstract value at
the current statement, so an overwritten variable forgets its old taint, a branch whose
condition folds to a constant is skipped, a guard that returns early protects what follows,
and loops run until their environment stops changing (a few rounds at most).
"""

from __future__ import annotations

import ast

from reviewers.security import folding, guards
from reviewers.security.binding import Binder
from reviewers.security.catalog import KNOWN_CONSTANTS, NORETURN
from reviewers.security.expressions import Evaluator, iteration_element
from reviewers.security.ir import CallSite, LibraryCall, SinkSite
from reviewers.security.modules import absolute_import
from reviewers.security.rules import RULES
from reviewers.security.taint import (
    EMPTY,
    NOCONST,
    Value,
    add_step,
    join_env,
    same_env,
    union,
    without,
)

# Rounds of a loop body at each nesting depth before its environment is taken as stable.
LOOP_ROUNDS = (3, 2, 1)


class _Loop:
    __slots__ = ("breaks", "continues")

    def __init__(self) -> None:
        self.breaks: dict | None = None
        self.continues: dict | None = None


class FunctionFlow(Binder, Evaluator):
    def __init__(self, ctx, qname: str, env: dict, view: str | None = None, defer: bool = False):
        self.ctx = ctx
        self.qname = qname
        self.scope = qname
        # Inside a class body: the class, and the environment of the code around the class.
        self.owner: str | None = None
        self.outer_env: dict | None = None
        self.env = env
        self.view = view
        # Module and class bodies defer their functions until the module's globals are known.
        self.defer = defer
        self.ret = EMPTY
        self.sinks: dict[tuple, SinkSite] = {}
        self.calls: dict[int, CallSite] = {}
        self.library_calls: dict[tuple, LibraryCall] = {}
        self._sites: dict[tuple, int] = {}
        self.loops: list[_Loop] = []
        self.assign_targets: tuple[str, ...] = ()
        # In a method: its class, and the name of its first parameter (``self``).
        self.cls: str | None = None
        self.self_name: str | None = None
        # The library objects (refs) the function returns; None once it returns anything else.
        self.returned_refs: set | None = set()

    # -- statements ---------------------------------------------------------------------------

    def block(self, statements: list[ast.stmt], env: dict | None) -> dict | None:
        """Run ``statements`` from ``env``; the environment after them, or None if none gets out."""
        for statement in statements:
            if env is None:
                return None
            self.env = env
            handler = _STATEMENTS.get(statement.__class__)
            env = handler(self, statement) if handler else self.s_other(statement)
        return env

    def s_other(self, node: ast.stmt) -> dict:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.eval(child)
        return self.env

    def s_Expr(self, node: ast.Expr) -> dict | None:
        self.eval(node.value)
        if isinstance(node.value, ast.Call):
            if self._callee_ref(node.value.func) in NORETURN:
                return None
            return guards.after_check(self, node.value, self.env)
        return self.env

    def _callee_ref(self, func: ast.expr) -> str | None:
        node = func
        while isinstance(node, ast.Attribute):
            node = node.value
        return self.eval(func).ref if isinstance(node, ast.Name) else None

    def s_Assign(self, node: ast.Assign) -> dict:
        self.assign_targets = tuple(name for target in node.targets for name in _target_names(target))
        value = self.eval(node.value)
        self.assign_targets = ()
        for target in node.targets:
            self.bind(target, value, node.lineno)
        if isinstance(node.value, ast.Call):
            return guards.after_check(self, node.value, self.env)
        return self.env

    def s_AnnAssign(self, node: ast.AnnAssign) -> dict:
        if node.value is not None:
            self.assign_targets = tuple(_target_names(node.target))
            value = self.eval(node.value)
            self.assign_targets = ()
            self.bind(node.target, value, node.lineno)
        return self.env

    def s_AugAssign(self, node: ast.AugAssign) -> dict:
        current = self.eval(node.target)
        value = self.eval(node.value)
        combined = self.e_BinOp(ast.BinOp(left=node.target, op=node.op, right=node.value), current, value)
        self.bind(node.target, combined, node.lineno)
        return self.env

    def s_Delete(self, node: ast.Delete) -> dict:
        for target in node.targets:
            if isinstance(target, ast.Name):
                self.env.pop(target.id, None)
            else:
                self.eval(target)
        return self.env

    # A handler that returns None ends the path: nothing after it in the block runs.
    def s_Return(self, node: ast.Return) -> None:
        if node.value is not None:
            self.returned(self.eval(node.value), node)

    def s_Raise(self, node: ast.Raise) -> None:
        if node.exc is not None:
            self.eval(node.exc)

    def s_Assert(self, node: ast.Assert) -> dict | None:
        test = self.eval(node.test)
        if folding.truth(test.const) is False:
            return None
        return guards.refine(self, node.test, True, self.env)

    def s_Pass(self, node: ast.stmt) -> dict:
        return self.env

    def s_Global(self, node: ast.Global | ast.Nonlocal) -> dict:
        self.ctx.rebound_globals.update(node.names)
        return self.env

    s_Nonlocal = s_Global

    def s_Import(self, node: ast.Import) -> dict:
        for alias in node.names:
            self.ctx.note_import(alias.name)
            if alias.asname:
                self.env[alias.asname] = Value(ref=alias.name)
            else:
                top = alias.name.split(".", 1)[0]
                self.env[top] = Value(ref=top)
        return self.env

    def s_ImportFrom(self, node: ast.ImportFrom) -> dict:
        base = absolute_import(self.ctx.module, self.ctx.package, node.level or 0, node.module)
        if base is None:
            return self.env
        self.ctx.note_import(base)
        for alias in node.names:
            if alias.name == "*":
                self.ctx.star_imports.append(base)
                continue
            name = alias.asname or alias.name
            full = f"{base}.{alias.name}" if base else alias.name
            self.env[name] = Value(const=KNOWN_CONSTANTS.get(full, NOCONST), ref=full)
            if self.defer and self.owner is None:
                self.ctx.summary.aliases[name] = self.ctx.index.repo_name(full, self.ctx.module) or full
        return self.env

    # -- branches and loops ---------------------------------------------------------------------

    def s_If(self, node: ast.If) -> dict | None:
        truth = folding.truth(self.eval(node.test).const)
        if truth is True:
            return self.block(node.body, self.env)
        if truth is False:
            return self.block(node.orelse, self.env)
        before = self.env
        then = self.block(node.body, guards.refine(self, node.test, True, dict(before)))
        otherwise = self.block(node.orelse, guards.refine(self, node.test, False, dict(before)))
        return join_env(then, otherwise)

    def s_For(self, node: ast.For | ast.AsyncFor) -> dict | None:
        element = iteration_element(self.eval(node.iter))

        def enter(env: dict) -> dict:
            self.env = env
            self.bind(node.target, element, node.lineno)
            return env

        head, frame = self._loop(node.body, enter)
        after = self.block(node.orelse, dict(head)) if node.orelse else head
        return join_env(after, frame.breaks)

    s_AsyncFor = s_For

    def s_While(self, node: ast.While) -> dict | None:
        truth = folding.truth(self.eval(node.test).const)
        if truth is False:
            return self.block(node.orelse, self.env)

        def enter(env: dict) -> dict:
            self.env = env
            self.eval(node.test)
            return guards.refine(self, node.test, True, env)

        head, frame = self._loop(node.body, enter)
        if truth is True:
            return frame.breaks  # ``while True``: only a break gets out
        after = guards.refine(self, node.test, False, dict(head))
        after = self.block(node.orelse, after) if node.orelse else after
        return join_env(after, frame.breaks)

    def _loop(self, body: list[ast.stmt], enter) -> tuple[dict, _Loop]:
        frame = _Loop()
        rounds = LOOP_ROUNDS[min(len(self.loops), len(LOOP_ROUNDS) - 1)]
        self.loops.append(frame)
        head = self.env
        try:
            for _ in range(rounds):
                out = self.block(body, enter(dict(head)))
                out = join_env(out, frame.continues)
                frame.continues = None
                merged = join_env(head, out)
                if same_env(merged, head):
                    break
                head = merged
        finally:
            self.loops.pop()
        return head, frame

    def s_Break(self, node: ast.Break) -> None:
        if self.loops:
            self.loops[-1].breaks = join_env(self.loops[-1].breaks, self.env)

    def s_Continue(self, node: ast.Continue) -> None:
        if self.loops:
            self.loops[-1].continues = join_env(self.loops[-1].continues, self.env)

    def s_With(self, node: ast.With | ast.AsyncWith) -> dict | None:
        for item in node.items:
            value = self.eval(item.context_expr)
            if item.optional_vars is not None:
                self.bind(item.optional_vars, value, item.context_expr.lineno)
        return self.block(node.body, self.env)

    s_AsyncWith = s_With

    def s_Try(self, node: ast.Try) -> dict | None:
        before = self.env
        body = self.block(node.body, dict(before))
        # An exception may come from any statement of the body: handlers start from either end.
        caught = join_env(dict(before), body)
        out = self.block(node.orelse, dict(body)) if (node.orelse and body is not None) else body
        for handler in node.handlers:
            env = dict(caught)
            if handler.name:
                env[handler.name] = Value()
            self.env = env
            if handler.type is not None:
                self.eval(handler.type)
            out = join_env(out, self.block(handler.body, env))
        if node.finalbody:
            final = self.block(node.finalbody, dict(out if out is not None else caught))
            return final if out is not None else None
        return out

    s_TryStar = s_Try

    def s_Match(self, node) -> dict | None:
        subject = self.eval(node.subject)
        before = self.env
        out = None
        exhaustive = False
        for case in node.cases:
            env = dict(before)
            for name in _pattern_names(case.pattern):
                env[name] = Value(subject.flat())
            self.env = env
            if case.guard is not None:
                self.eval(case.guard)
                env = guards.refine(self, case.guard, True, env)
            out = join_env(out, self.block(case.body, env))
            if case.guard is None and isinstance(case.pattern, ast.MatchAs) and case.pattern.pattern is None:
                exhaustive = True
        return out if exhaustive else join_env(out, before)

    # -- definitions ----------------------------------------------------------------------------

    def s_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> dict:
        from reviewers.security.functions import define_function  # functions.py imports this module

        define_function(self, node)
        return self.env

    s_AsyncFunctionDef = s_FunctionDef

    def s_ClassDef(self, node: ast.ClassDef) -> dict:
        from reviewers.security.functions import define_class  # functions.py imports this module

        define_class(self, node)
        return self.env

    # -- what the function does with data ---------------------------------------------------------

    def returned(self, value: Value, node: ast.AST) -> None:
        if self.returned_refs is not None:
            library = value.ref and value.ref.endswith("()") and not self.ctx.repo_class_of(value.ref)
            self.returned_refs = self.returned_refs | {value.ref} if library else None
        taint = value.flat()
        if taint:
            self.ret = union(self.ret, add_step(taint, (self.ctx.path, node.lineno, "returned")))
        if self.view == "flask":
            body = value.item(0) if value.kind == "tuple" and value.items is not None else value
            if body.kind not in ("dict", "list") and not (body.ref or "").endswith("Response()"):
                self.sink("xss", node, body.flat(), "HTML returned by a view")

    def sink(self, rule: str, node: ast.AST, taint: dict, what: str) -> None:
        taint = without(taint, RULES[rule].kind)
        if not taint:
            return
        key = (rule, node.lineno, node.col_offset, getattr(node, "end_col_offset", None))
        site = self.sinks.get(key)
        if site is not None:
            site.taint = union(site.taint, taint)
            return
        end = getattr(node, "end_lineno", None) or node.lineno
        self.sinks[key] = SinkSite(rule, self.ctx.path, node.lineno, end, node.col_offset + 1, what, taint)

    def call_site(self, call, callee: str, bound: bool) -> Value:
        node = call.node
        key = (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)
        site = self._sites.get(key)
        args = tuple(value.flat() for value in call.args)
        kwargs = {name: value.flat() for name, value in call.kwargs.items()}
        receiver = call.receiver.flat() if bound and call.receiver is not None else EMPTY
        if site is None:
            site = self._sites[key] = self.ctx.new_site()
            self.calls[site] = CallSite(callee, self.ctx.path, node.lineno, args, kwargs, call.star, bound, receiver)
        else:
            self.calls[site] = _merge_calls(self.calls[site], args, kwargs, call.star, receiver)
        atom = ("ret", self.ctx.path, site)
        step = (self.ctx.path, node.lineno, f"returned by {callee.rsplit('.', 1)[-1]}()")
        return Value({(atom, frozenset()): (step,)}, ref=f"{callee}()")


    def callback_site(self, node, index: int, callee: str, args: tuple) -> None:
        """A function passed as argument ``index`` at ``node``, taken as called with ``args``."""
        key = (node.lineno, node.col_offset, index, "callback")
        site = self._sites.get(key)
        if site is None:
            site = self._sites[key] = self.ctx.new_site()
            self.calls[site] = CallSite(callee, self.ctx.path, node.lineno, args, {}, EMPTY, False, EMPTY)
        else:
            self.calls[site] = _merge_calls(self.calls[site], args, {}, EMPTY, EMPTY)


def _merge_calls(old: CallSite, args, kwargs, star, receiver) -> CallSite:
    merged_args = tuple(
        union(old.args[index] if index < len(old.args) else EMPTY, args[index] if index < len(args) else EMPTY)
        for index in range(max(len(old.args), len(args)))
    )
    merged_kwargs = dict(old.kwargs)
    for name, taint in kwargs.items():
        merged_kwargs[name] = union(merged_kwargs.get(name, EMPTY), taint)
    return CallSite(old.callee, old.file, old.line, merged_args, merged_kwargs, union(old.star, star), old.bound,
                    union(old.receiver, receiver))  # fmt: skip


def _target_names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Attribute):
        return [target.attr]
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
        return [str(target.slice.value)]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _target_names(element)]
    return []


def _pattern_names(pattern: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(pattern):
        for attribute in ("name", "rest"):
            value = getattr(node, attribute, None)
            if isinstance(value, str):
                names.append(value)
    return names


def _build_statements() -> dict:
    table = {}
    for name in dir(FunctionFlow):
        if name.startswith("s_") and name != "s_other":
            node_class = getattr(ast, name[2:], None)
            if node_class is not None:
                table[node_class] = getattr(FunctionFlow, name)
    return table


_STATEMENTS = _build_statements()
