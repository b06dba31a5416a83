"""Flows through program structure that plain calls miss: ``super()``, setters, callbacks, helpers.

- ``super().method(x)`` calls the method of the class's first base, on the same object;
- ``obj.set_name(value)`` on an instance of a repository class gives ``value`` to the object, as
  its constructor would: what its methods later read from ``self`` may be that value;
- ``run_with(callback, value)`` passes ``value`` on to ``callback``: the callback is taken as
  called with the other arguments (an over-approximation that only ever adds flows);
- a helper that returns a library object (``return httpx.Client()``) makes its callers hold
  that object, so the library's sinks are found on what it returns.
"""

from __future__ import annotations

import ast

from reviewers.security.taint import EMPTY, NOCONST, Value, union, union_all

# Positions a callback is taken to receive the other arguments at.
_CALLBACK_ARITY = 4


def super_value(flow) -> Value | None:
    """``super()`` inside a method: the object, seen as an instance of the first base."""
    cls = getattr(flow, "cls", None)
    bases = flow.ctx.summary.classes.get(cls, ()) if cls else ()
    if not bases or not flow.self_name:
        return None
    current = flow.env.get(flow.self_name)
    return Value(current.taint if current is not None else EMPTY, ref=f"{bases[0]}()")


def after_repo_call(flow, call, callee: str, bound: bool) -> None:
    """What a call to a repository function does besides returning: setters and callbacks."""
    node = call.node
    given = union_all([value.flat() for value in call.args] + [value.flat() for value in call.kwargs.values()])
    if bound and given and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
        name = node.func.value.id
        receiver = call.receiver
        if name != flow.self_name and receiver is not None and flow.ctx.repo_class_of(receiver.ref):
            flow.env[name] = Value(union(receiver.taint, given), receiver.items, NOCONST, receiver.ref, receiver.kind)
    for index, argument in enumerate(call.args):
        target = flow.ctx.repo_target(argument.ref) if argument.ref and not argument.taint else None
        if target is None or flow.ctx.repo_class_of(f"{argument.ref}()"):
            continue
        others = union_all([value.flat() for position, value in enumerate(call.args) if position != index]
                           + [value.flat() for value in call.kwargs.values()])  # fmt: skip
        if others:
            flow.callback_site(node, index, target[0], (others,) * _CALLBACK_ARITY)


def library_result(flow, callee: str) -> str | None:
    """The library object a function of this file returns, if it always returns one."""
    return flow.ctx.returned_refs.get(callee)
