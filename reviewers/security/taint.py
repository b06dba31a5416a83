"""Taint sets and abstract values: what the dataflow analysis knows about one expression.

A taint set maps a *key* to the *path* that brought it here. A key is ``(atom, cleansed)``:

- the atom says where the data comes from: a real source
  ``("src", kind, trust, file, line, column, what)``, a function parameter ``("p", function, name)``,
  the return value of a call to a repository function ``("ret", file, site)`` or an instance
  attribute ``("fld", class, name)``; the last three are resolved across modules later;
- ``cleansed`` is the frozenset of sanitizer classes the data went through (see rules.ALL_KINDS),
  plus markers: ``norm`` (a normalized path, not yet checked), ``no-dots`` and ``relative``
  (checked for ``..`` and for a leading ``/``: both together protect a path), ``~`` (passed
  through a function we do not know, so the flow is assumed) and ``?class.attr`` (read from an
  attribute: counts only if that attribute holds its object's data, see resolve.py), ``req``
  (a request object itself, which is no data: ``log(request)``) and ``+req`` (read from a
  request object's data, ``x.args``): data marked ``req`` counts only once it is also ``+req``,
  so a request object passed to a function or stored in an object is followed to where its
  data is read; ``fmt`` (formatted into a string: what makes an untraced value at a SQL or
  shell sink worth a low-confidence finding, see resolve.py).

A path is a tuple of steps ``(file, line, what)``. Taint sets are never mutated: every
operation returns a new dict, or one of its inputs when nothing changes.
"""

from __future__ import annotations

from typing import Any

Taint = dict
EMPTY: Taint = {}
CLEAN: frozenset = frozenset()
NORM = "norm"
ASSUMED = "~"
NO_DOTS = "no-dots"
RELATIVE = "relative"
REQUEST = "req"
REQUEST_DATA = "+req"
FORMATTED = "fmt"
MAX_PATH = 14


class _NoConst:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NOCONST"


NOCONST: Any = _NoConst()
# The key under which a container keeps elements of unknown position after its known ones.
REST = ("*",)


def known_key(const: Any) -> bool:
    """Whether a folded constant can key a container's items: known and hashable."""
    if const is NOCONST:
        return False
    try:
        hash(const)
    except TypeError:
        return False
    return True


def union(a: Taint, b: Taint) -> Taint:
    if not b or a is b:
        return a
    if not a:
        return b
    merged = dict(a)
    for key, path in b.items():
        merged.setdefault(key, path)
    return merged if len(merged) != len(a) else a


def union_all(taints) -> Taint:
    result = EMPTY
    for taint in taints:
        result = union(result, taint)
    return result


def cleanse(taint: Taint, kinds: frozenset) -> Taint:
    """The same data, now protected against ``kinds``."""
    if not taint:
        return taint
    result: Taint = {}
    for (atom, cleansed), path in taint.items():
        result.setdefault((atom, cleansed | kinds), path)
    return result


def add_step(taint: Taint, step: tuple) -> Taint:
    if not taint:
        return taint
    return {key: extend(path, (step,)) for key, path in taint.items()}


def extend(path: tuple, more: tuple) -> tuple:
    joined = path + more
    if len(joined) > MAX_PATH:
        # Keep where the data came from and where it ended; the middle is the least telling.
        half = MAX_PATH // 2
        joined = joined[:half] + joined[-(MAX_PATH - half):]
    return joined


def protected(cleansed: frozenset, kind: str) -> bool:
    """Whether data that went through ``cleansed`` is safe for a sink protected by ``kind``."""
    if kind in cleansed:
        return True
    if REQUEST in cleansed and REQUEST_DATA not in cleansed:
        return True  # the request object itself, not what it holds
    # A path with no ``..`` that is not absolute stays under whatever it is joined to.
    return kind == "path" and NO_DOTS in cleansed and RELATIVE in cleansed


def without(taint: Taint, kind: str) -> Taint:
    """The part of ``taint`` that is still dangerous for a sink protected by ``kind``."""
    if not taint:
        return taint
    kept = {key: path for key, path in taint.items() if not protected(key[1], kind)}
    return kept if len(kept) != len(taint) else taint


class Value:
    """What is known about a value: its taint, its parts, its constant, what it refers to.

    ``items`` maps constant keys (indexes, dict keys, ``('.', attr)`` for attributes) to the
    values of known parts; ``ref`` is a qualified name such as ``hashlib.md5`` (a function),
    ``random.Random()`` (an instance) or ``flask.request``; ``kind`` is a coarse type used by
    sinks (``str``, ``dict``, ``list``, ``tuple``, ``safe``).
    """

    __slots__ = ("const", "items", "kind", "ref", "taint")

    def __init__(self, taint: Taint = EMPTY, items: dict | None = None, const: Any = NOCONST,
                 ref: str | None = None, kind: str | None = None):  # fmt: skip
        self.taint = taint
        self.items = items
        self.const = const
        self.ref = ref
        self.kind = kind

    def __repr__(self) -> str:
        return f"Value(taint={list(self.taint)}, items={self.items}, const={self.const!r}, ref={self.ref})"

    def flat(self) -> Taint:
        """The taint of the value with every part in it."""
        if not self.items:
            return self.taint
        return union_all([self.taint, *(item.flat() for item in self.items.values())])

    def item(self, key: Any) -> Value:
        """The part at constant ``key``; the whole value's taint when the part is not known."""
        if self.items is not None and key in self.items:
            part = self.items[key]
            return part if not self.taint else Value(union(self.taint, part.taint), part.items,
                                                      part.const, part.ref, part.kind)  # fmt: skip
        if self.items and key != REST:
            return Value(self.flat())
        return Value(self.taint)

    def with_item(self, key: Any, value: Value) -> Value:
        items = dict(self.items or {})
        items[key] = value
        return Value(self.taint, items, NOCONST, self.ref, self.kind)

    def with_taint(self, taint: Taint) -> Value:
        if taint is self.taint:
            return self
        return Value(taint, self.items, self.const, self.ref, self.kind)

    def map_taint(self, function) -> Value:
        """Apply ``function`` to the taint of the value and of every part."""
        items = None
        if self.items:
            items = {key: item.map_taint(function) for key, item in self.items.items()}
        return Value(function(self.taint), items, self.const, self.ref, self.kind)

    def same(self, other: Value) -> bool:
        if self is other:
            return True
        return (
            self.taint.keys() == other.taint.keys()
            and self.ref == other.ref
            and _same_const(self.const, other.const)
            and _same_items(self.items, other.items)
        )


def _same_const(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _same_items(a: dict | None, b: dict | None) -> bool:
    if a is b:
        return True
    if a is None or b is None or a.keys() != b.keys():
        return False
    return all(a[key].same(b[key]) for key in a)


UNKNOWN = Value()


def source(kind: str, trust: str, file: str, line: int, column: int, what: str) -> Taint:
    return {(("src", kind, trust, file, line, column, what), CLEAN): ((file, line, f"source: {what}"),)}


def join(a: Value | None, b: Value | None) -> Value | None:
    """The value after two branches meet."""
    if a is None or a is b:
        return b
    if b is None:
        return a
    taint = union(a.taint, b.taint)
    if a.items is not None and b.items is not None:
        items = dict(a.items)
        for key, item in b.items.items():
            items[key] = join(items.get(key), item)
    elif a.items or b.items:
        items = None
        taint = union(taint, union(a.flat(), b.flat()))
    else:
        items = a.items if a.items is not None else b.items
    const = a.const if _same_const(a.const, b.const) else NOCONST
    ref = a.ref if a.ref == b.ref else (a.ref or b.ref if not (a.ref and b.ref) else None)
    kind = a.kind if a.kind == b.kind else None
    return Value(taint, items, const, ref, kind)


def join_env(a: dict | None, b: dict | None) -> dict | None:
    """The environment after two branches meet; ``None`` is a branch that cannot continue."""
    if a is None:
        return b
    if b is None or a is b:
        return a
    result = dict(a)
    for name, value in b.items():
        mine = result.get(name)
        result[name] = value if mine is None else join(mine, value)
    return result


def same_env(a: dict | None, b: dict | None) -> bool:
    if a is None or b is None:
        return a is b
    if a.keys() != b.keys():
        return False
    return all(a[name].same(b[name]) for name in a)
