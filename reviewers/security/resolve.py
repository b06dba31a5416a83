"""Cross-module resolution: function summaries applied at every call site, until only sources remain.

Each function's summary speaks of its own parameters (``("p", f, name)``), of what calls to
repository functions return (``("ret", file, site)``) and of instance attributes
(``("fld", class, name)``). Here:

- a call site's result is the callee's return taint with the callee's parameters replaced by
  the taint of the arguments at that site;
- a function's *sink hits* are the sinks its own body reaches, plus the sinks of its callees
  that a parameter of the callee reaches, with that parameter replaced by the argument;
- an instance attribute holds what any method of the class (or a relative) stores in it from a
  source; an attribute set from parameters holds what its object was given: reading it inside a
  method reads ``self`` (a parameter, replaced by the receiver at each call site), marked
  ``?class.attr`` so that the flow counts only if that attribute really is set from outside.

Everything is memoized; recursion is cut by treating a summary still being computed as empty.
The order of computation is fixed (sorted), so the result does not depend on worker count.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass

from reviewers.security import library, urlpatterns
from reviewers.security.catalog import DATA_METHODS, NON_DATA_METHODS
from reviewers.security.ir import CallSite, FileSummary, FunctionSummary, SinkSite
from reviewers.security.rules import RULES
from reviewers.security.taint import (
    ASSUMED,
    EMPTY,
    FORMATTED,
    Taint,
    cleanse,
    extend,
    protected,
    union,
    union_all,
)

_ASSUMED = frozenset({ASSUMED})
# The rules whose sinks are reported, at low confidence, when fed by a value formatted from a
# parameter of a function nobody in the repository calls (an API's entry point): the text of
# a query or a shell command built from what the caller passes.
UNTRACED_RULES = frozenset({"sql-injection", "command-injection"})
_MAX_ALIAS_HOPS = 8
_MAX_BASES = 32
# Call chains are resolved recursively; deep ones need more than Python's default 1000 frames.
RECURSION_LIMIT = 20_000


@dataclass(frozen=True)
class Hit:
    """Data from ``atom`` reaching ``sink``, along ``path``."""

    sink: SinkSite
    atom: tuple
    cleansed: frozenset
    path: tuple


class Program:
    def __init__(self, files: list[FileSummary]):
        self.functions: dict[str, FunctionSummary] = {}
        self.sites: dict[tuple[str, int], CallSite] = {}
        self.classes: dict[str, tuple[str, ...]] = {}
        self.aliases: dict[str, dict[str, str]] = {}
        self.fields: dict[tuple[str, str], list] = defaultdict(list)
        # Every function, also one whose name a later definition reuses (a property's setter,
        # ``def`` in both branches of an ``if``): all their sinks count; calls reach the first.
        self.every_function: list[FunctionSummary] = []
        for summary in sorted(files, key=lambda item: item.file):
            self.aliases[summary.module] = summary.aliases
            self.classes.update(summary.classes)
            for function in summary.functions:
                self.functions.setdefault(function.qname, function)
                self.every_function.append(function)
                for site, call in function.calls.items():
                    self.sites[(function.file, site)] = call
            for write in summary.fields:
                self.fields[(write.cls, write.attr)].append(write)
        library.sinks(files, self.alias_of)
        self.typed_sources = urlpatterns.safe_sources(files, self.functions)
        self._lookups: dict[str, tuple[FunctionSummary, bool] | None] = {}
        self._site_results: dict[tuple[str, int], Taint] = {}
        self._returns: dict[str, Taint] = {}
        self._hits: dict[tuple, dict[tuple, Hit]] = {}
        self._field_taint: dict[tuple[str, str], Taint] = {}
        self._dependent: dict[str, bool] = {}
        self._subclasses: dict[str, list[str]] | None = None
        self.too_deep: list[str] = []

    # -- finding the callee ------------------------------------------------------------------

    def lookup(self, callee: str) -> tuple[FunctionSummary, bool] | None:
        """The function a call reaches, and whether it is a constructor (self is passed)."""
        if callee not in self._lookups:
            self._lookups[callee] = self._lookup(callee, 0)
        return self._lookups[callee]

    def alias_of(self, name: str) -> str:
        """``name`` with a package's re-export followed (``pkg.session`` -> ``pkg.db.session``)."""
        parts = name.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            alias = self.aliases.get(".".join(parts[:cut]), {}).get(parts[cut])
            if alias is not None and alias != name:
                return ".".join([alias, *parts[cut + 1:]])
        return name

    def _lookup(self, callee: str, hops: int) -> tuple[FunctionSummary, bool] | None:
        function = self.functions.get(callee)
        if function is not None:
            return function, False
        if callee in self.classes:
            init = self.method(callee, "__init__")
            return (init, True) if init is not None else None
        owner, _, name = callee.rpartition(".")
        if owner in self.classes:
            found = self.method(owner, name)
            return (found, False) if found is not None else None
        if hops < _MAX_ALIAS_HOPS:
            # A name re-exported by a package: ``from .core import run`` in ``pkg/__init__.py``.
            parts = callee.split(".")
            for cut in range(len(parts) - 1, 0, -1):
                alias = self.aliases.get(".".join(parts[:cut]), {}).get(parts[cut])
                if alias is not None and alias != callee:
                    return self._lookup(".".join([alias, *parts[cut + 1:]]), hops + 1)
        return None

    def method(self, cls: str, name: str) -> FunctionSummary | None:
        seen = set()
        queue = [cls]
        while queue and len(seen) < _MAX_BASES:
            current = queue.pop(0)
            if current in seen:
                continue
            seen.add(current)
            found = self.functions.get(f"{current}.{name}")
            if found is not None:
                return found
            queue.extend(self.classes.get(current, ()))
        return None

    # -- taint resolution --------------------------------------------------------------------

    def resolve(self, taint: Taint) -> Taint:
        """``taint`` with every call result and attribute replaced by what it really holds."""
        if not any(atom[0] in ("ret", "fld") for atom, _ in taint):
            return taint
        result: Taint = {}
        for (atom, cleansed), path in taint.items():
            tag = atom[0]
            if tag == "ret":
                inner = self.site_result(atom[1], atom[2])
            elif tag == "fld":
                inner = self.field(atom[1], atom[2])
            else:
                result.setdefault((atom, cleansed), path)
                continue
            for (inner_atom, inner_cleansed), inner_path in inner.items():
                result.setdefault((inner_atom, inner_cleansed | cleansed), extend(inner_path, path))
        return result

    def site_result(self, file: str, site: int) -> Taint:
        key = (file, site)
        if key in self._site_results:
            return self._site_results[key]
        self._site_results[key] = EMPTY  # recursion: a call being resolved returns nothing yet
        call = self.sites.get(key)
        result = EMPTY
        if call is not None:
            target = self.lookup(call.callee)
            if target is None:
                result = self._unknown_result(call)
            else:
                callee, constructor = target
                result = self.substitute(self.returns(callee), callee, call, constructor)
                if constructor:
                    # A new object holds what it was given (see depends_on_object).
                    result = union(result, self.resolve(union_all([*call.args, *call.kwargs.values(), call.star])))
        self._site_results[key] = result
        return result

    def _unknown_result(self, call: CallSite) -> Taint:
        method = call.callee.rsplit(".", 1)[-1]
        if method in NON_DATA_METHODS:
            return EMPTY
        data = self.resolve(union_all([*call.args, *call.kwargs.values(), call.star, call.receiver]))
        return data if method in DATA_METHODS else cleanse(data, _ASSUMED)

    def returns(self, function: FunctionSummary) -> Taint:
        name = function.qname
        if name not in self._returns:
            self._returns[name] = EMPTY
            self._returns[name] = self.resolve(function.ret)
        return self._returns[name]

    def substitute(self, taint: Taint, callee: FunctionSummary, call: CallSite, constructor: bool) -> Taint:
        """``taint`` (in ``callee``'s terms) as seen at ``call``: parameters become arguments."""
        if not taint:
            return taint
        bindings = None
        result: Taint = {}
        for (atom, cleansed), path in taint.items():
            if atom[0] != "p" or atom[1] != callee.qname:
                result.setdefault((atom, cleansed), path)
                continue
            if bindings is None:
                bindings = bind(callee, call, constructor)
            argument = self.resolve(bindings.get(atom[2], EMPTY))
            for (outer_atom, outer_cleansed), outer_path in argument.items():
                step = (call.file, call.line, f"passed to {callee.qname.rsplit('.', 1)[-1]}()")
                result.setdefault((outer_atom, outer_cleansed | cleansed),
                                  extend(extend(outer_path, (step,)), path))  # fmt: skip
        return result

    # -- sinks ---------------------------------------------------------------------------------

    def hits(self, function: FunctionSummary) -> dict[tuple, Hit]:
        """Every sink this function reaches, in its own body or through its callees."""
        name = (function.qname, function.file, function.line)
        if name in self._hits:
            return self._hits[name]
        found: dict[tuple, Hit] = {}
        self._hits[name] = found  # recursion: what is found so far
        for sink in function.sinks:
            kind = RULES[sink.rule].kind
            end = ((sink.file, sink.line, f"reaches {sink.what}"),)
            for (atom, cleansed), path in self.resolve(sink.taint).items():
                key = _key(sink, atom, cleansed)
                if key not in found and not protected(cleansed, kind) and self._holds(cleansed):
                    found[key] = Hit(sink, atom, cleansed, extend(path, end))
        for site in sorted(function.calls):
            call = function.calls[site]
            target = self.lookup(call.callee)
            if target is None:
                continue
            callee, constructor = target
            inner = self.hits(callee)
            if not inner:
                continue
            bindings = None
            for hit in list(inner.values()):
                if hit.atom[0] != "p" or hit.atom[1] != callee.qname:
                    continue
                if bindings is None:
                    bindings = bind(callee, call, constructor)
                kind = RULES[hit.sink.rule].kind
                argument = self.resolve(bindings.get(hit.atom[2], EMPTY))
                step = (call.file, call.line, f"passed to {callee.qname.rsplit('.', 1)[-1]}()")
                for (atom, cleansed), path in argument.items():
                    merged = cleansed | hit.cleansed
                    key = _key(hit.sink, atom, merged)
                    # NOTE: the first hit of a key is kept; building the path of a later one is wasted work.
                    if key not in found and not protected(merged, kind) and self._holds(merged):
                        found[key] = Hit(hit.sink, atom, merged, extend(extend(path, (step,)), hit.path))
        return found

    def untraced_hits(self) -> list[Hit]:
        """Hits from a parameter of a function that has no caller here, formatted into SQL or a shell command."""
        called = set()
        for call in self.sites.values():
            target = self.lookup(call.callee)
            if target is not None:
                called.add(target[0].qname)
        result = []
        for function in sorted(self.every_function, key=lambda item: (item.qname, item.file, item.line)):
            # NOTE: methods are left out: an uncalled method is often one a subclass overrides.
            if function.qname in called or function.qname.rpartition(".")[0] in self.classes:
                continue
            for hit in self._hits.get((function.qname, function.file, function.line), {}).values():
                if (hit.atom[0] == "p" and hit.atom[1] == function.qname and hit.sink.rule in UNTRACED_RULES
                        and FORMATTED in hit.cleansed and ASSUMED not in hit.cleansed):  # fmt: skip
                    result.append(hit)
        return result

    def source_hits(self) -> list[Hit]:
        """The hits that start at a real source: these are the findings."""
        result = []
        previous_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(previous_limit, RECURSION_LIMIT))
        try:
            for function in sorted(self.every_function, key=lambda item: (item.qname, item.file, item.line)):
                try:
                    hits = self.hits(function)
                except RecursionError:
                    # NOTE: a call chain deeper than the limit; what is memoized so far stands,
                    # and the same order of work gives the same result every time.
                    self.too_deep.append(function.qname)
                    continue
                for hit in hits.values():
                    atom = hit.atom
                    if atom[0] == "src" and atom[1] not in RULES[hit.sink.rule].ignored_sources \
                            and (atom[3], atom[6]) not in self.typed_sources:  # fmt: skip
                        result.append(hit)
        finally:
            sys.setrecursionlimit(previous_limit)
        return result

    # -- instance attributes -------------------------------------------------------------------

    def field(self, cls: str, attr: str) -> Taint:
        """What any method stores in ``attr`` straight from a source (``self.x = request.args``)."""
        key = (cls, attr)
        if key not in self._field_taint:
            self._field_taint[key] = EMPTY
            taint = union_all([self.resolve(write.taint) for write in self._writes(cls, attr)])
            self._field_taint[key] = {key: path for key, path in taint.items() if key[0][0] == "src"}
        return self._field_taint[key]

    def depends_on_object(self, marker: str) -> bool:
        """Whether the attribute a ``?class.attr`` marker names holds what its object was given.

        An object holds its constructor's arguments (and what its methods are passed), so reading
        such an attribute reads the object's taint; an attribute only ever set to constants or
        to sources (see ``field``) does not depend on the object.
        """
        if marker not in self._dependent:
            cls, _, attr = marker[1:].rpartition(".")
            self._dependent[marker] = False
            self._dependent[marker] = any(
                atom[0] != "src" for write in self._writes(cls, attr) for atom, _ in self.resolve(write.taint)
            )
        return self._dependent[marker]

    def _writes(self, cls: str, attr: str) -> list:
        return [write for relative in self._family(cls) for write in self.fields.get((relative, attr), ())]

    def _family(self, cls: str) -> list[str]:
        family = [cls]
        queue = list(self.classes.get(cls, ()))
        while queue and len(family) < _MAX_BASES:
            base = queue.pop(0)
            if base not in family:
                family.append(base)
                queue.extend(self.classes.get(base, ()))
        if self._subclasses is None:
            self._subclasses = defaultdict(list)
            for name in sorted(self.classes):
                for base in self.classes[name]:
                    self._subclasses[base].append(name)
        queue = list(self._subclasses.get(cls, ()))
        while queue and len(family) < 2 * _MAX_BASES:
            sub = queue.pop(0)
            if sub not in family:
                family.append(sub)
                queue.extend(self._subclasses.get(sub, ()))
        return family

    def _holds(self, cleansed: frozenset) -> bool:
        """False when the data came through an attribute that does not hold its object's data."""
        return all(self.depends_on_object(mark) for mark in cleansed if mark[0] == "?")


def bind(callee: FunctionSummary, call: CallSite, constructor: bool) -> dict[str, Taint]:
    """Which argument taint each parameter of ``callee`` receives at ``call``."""
    positional = list(call.args)
    if (call.bound or constructor) and not callee.static:
        positional.insert(0, EMPTY if constructor else call.receiver)
    bindings: dict[str, Taint] = {}
    for index, name in enumerate(callee.positional):
        if index < len(positional):
            bindings[name] = positional[index]
        elif name in call.kwargs:
            bindings[name] = call.kwargs[name]
        elif call.star:
            bindings[name] = call.star
    extra = positional[len(callee.positional):]
    if callee.vararg:
        bindings[callee.vararg] = union_all([*extra, call.star])
    for name in callee.keyword_only:
        bindings[name] = call.kwargs.get(name, call.star)
    if callee.kwarg:
        known = set(callee.positional) | set(callee.keyword_only)
        bindings[callee.kwarg] = union_all(
            [taint for name, taint in call.kwargs.items() if name not in known] + [call.star]
        )
    return bindings


def _key(sink, atom: tuple, cleansed: frozenset) -> tuple:
    return (sink.file, sink.line, sink.column, sink.rule, atom, cleansed)
