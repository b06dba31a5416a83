"""Binding values to assignment targets: names, unpacking, attributes, items.

``Binder`` is mixed into the per-function dataflow (dataflow.FunctionFlow). Storing into an
attribute of an instance of a repository class records a field write (resolved across
methods later); storing into a web session is a trust-boundary sink.
"""

from __future__ import annotations

import ast

from reviewers.security import settings_checks
from reviewers.security.catalog import REQUEST_OBJECTS, SESSION_REFS, display
from reviewers.security.taint import NOCONST, Value, add_step, known_key, union

# Objects whose items are response headers: ``response["Content-Disposition"] = value``.
_HEADER_MAPPINGS = frozenset({"django.http.HttpResponse()", "flask.Response()"})


class Binder:
    def bind(self, target: ast.expr, value: Value, line: int, step: bool = True) -> None:
        """Assign ``value`` to ``target`` (a name, an unpacking, an attribute, an item)."""
        if isinstance(target, ast.Name):
            if value.const is not NOCONST:
                settings_checks.setting(self, target.id, value, target)
            if step and value.taint:
                value = value.with_taint(add_step(value.taint, (self.ctx.path, line, f"assigned to {target.id}")))
            self.env[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            self._unpack(target, value, line)
        elif isinstance(target, ast.Attribute):
            self._bind_attribute(target, value, line)
        elif isinstance(target, ast.Subscript):
            self._bind_item(target, value, line)
        elif isinstance(target, ast.Starred):
            self.bind(target.value, Value(value.flat(), kind="list"), line)

    def _unpack(self, target: ast.Tuple | ast.List, value: Value, line: int) -> None:
        starred = False
        for index, element in enumerate(target.elts):
            if isinstance(element, ast.Starred):
                starred = True
                self.bind(element.value, Value(value.flat(), kind="list"), line)
            elif value.items is not None and not starred:
                self.bind(element, value.item(index), line)
            else:
                self.bind(element, Value(value.flat()), line)

    def _bind_attribute(self, target: ast.Attribute, value: Value, line: int) -> None:
        owner_value = self.eval(target.value)
        if value.const is not NOCONST or value.ref:
            settings_checks.setting(self, target.attr, value, target, owner_value)
        owner = self.ctx.repo_class_of(owner_value.ref)
        if owner is not None:
            self.ctx.field_write(owner, target.attr, self.qname, value.flat(), value.ref)
        if isinstance(target.value, ast.Name):
            self.env[target.value.id] = owner_value.with_item((".", target.attr), value)
        else:
            self._taint_root(target.value, value)

    def _bind_item(self, target: ast.Subscript, value: Value, line: int) -> None:
        container = self.eval(target.value)
        if container.ref in SESSION_REFS:
            self.sink("trust-boundary", target, value.flat(), f"{display(container.ref)}[...]")
        key = None if isinstance(target.slice, ast.Slice) else self.eval(target.slice)
        if key is not None and isinstance(key.const, str):
            if value.const is not NOCONST:
                settings_checks.setting(self, key.const, value, target)
            if _holds_headers(self, target.value, container):
                self.sink("header-injection", target, value.flat(), f"header {key.const}")
        if isinstance(target.value, ast.Name):
            if key is not None and known_key(key.const):
                updated = container.with_item(key.const, value)
            else:
                updated = Value(union(container.taint, value.flat()), container.items, NOCONST,
                                container.ref, container.kind)  # fmt: skip
            self.env[target.value.id] = updated
        else:
            if isinstance(target.value, ast.Attribute):
                owner = self.ctx.repo_class_of(self.eval(target.value.value).ref)
                if owner is not None:
                    self.ctx.field_write(owner, target.value.attr, self.qname, value.flat())
            self._taint_root(target.value, value)

    def _taint_root(self, target: ast.expr, value: Value) -> None:
        """``a.b.c = v`` or ``a[i][j] = v``: ``a`` now holds ``v`` somewhere."""
        taint = value.flat()
        if not taint:
            return
        while isinstance(target, (ast.Attribute, ast.Subscript)):
            target = target.value
        if isinstance(target, ast.Name) and target.id in self.env:
            current = self.env[target.id]
            self.env[target.id] = Value(union(current.taint, taint), current.items, NOCONST,
                                        current.ref, current.kind)  # fmt: skip



def _holds_headers(flow, node: ast.expr, container: Value) -> bool:
    """``response.headers[...]`` (not a request's), or a Django response's own items."""
    if container.ref in _HEADER_MAPPINGS:
        return True
    if isinstance(node, ast.Attribute) and node.attr == "headers":
        owner = flow.eval(node.value)
        return owner.ref not in REQUEST_OBJECTS and not (owner.ref or "").endswith(("Session()", "Client()"))
    return False
