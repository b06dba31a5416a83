"""Library objects handed out by other modules: methods called on them are resolved once all files are read.

A helper in ``db.py`` returning ``requests.Session()``, or a global ``session = requests.Session()``
imported with ``from db import session``, is known only when ``db.py`` has been analyzed, maybe
in another process. So a method called on the result of a repository function of another module,
or on a global of another module (``client.get(url)``), whose name is that of a library sink
method, is kept as a ``LibraryCall``; the parent, which holds every file's ``library_refs``,
turns it into a sink when the object turns out to be a library's (resolve.py).
"""

from __future__ import annotations

from reviewers.security.catalog import SINK_CALLS, Sink
from reviewers.security.ir import FileSummary, LibraryCall, SinkSite
from reviewers.security.rules import RULES
from reviewers.security.taint import EMPTY, union_all, without

# Methods some library object has as a sink (``requests.Session().get`` -> ``get``).
SINK_METHODS = frozenset(ref.rpartition(".")[2] for ref, sink in SINK_CALLS.items() if "()." in ref and not sink.special)


def defer(flow, call, what: str) -> None:
    """Keep ``call`` (a method on another module's object) for the parent to resolve."""
    owner = _owner(flow, call.receiver.ref)
    if owner is None:
        return
    node = call.node
    key = (node.lineno, node.col_offset, getattr(node, "end_col_offset", None))
    flow.library_calls[key] = LibraryCall(
        owner, call.method, tuple(value.flat() for value in call.args),
        {name: value.flat() for name, value in call.kwargs.items()}, call.star,
        SinkSite("", flow.ctx.path, node.lineno, getattr(node, "end_lineno", None) or node.lineno,
                 node.col_offset + 1, what, EMPTY),
    )  # fmt: skip


def _owner(flow, ref: str) -> str | None:
    """The qualified name of what ``ref`` comes from: ``pkg.db.get_client()`` or ``pkg.db.session``."""
    ctx = flow.ctx
    called = ref.endswith("()")
    base = ref[:-2] if called else ref
    if "(" in base or base.startswith("builtins."):
        return None
    found = ctx.index.repo_name(base, ctx.module)
    if found is None or found.rpartition(".")[0] == ctx.module:
        return None  # the file's own helpers and globals are known already (structure.py)
    if called and ctx.repo_class_of(ref):
        return None
    return f"{found}()" if called else found


def exported(ctx) -> dict[str, str]:
    """What this file hands out as library objects: helpers' results and globals."""
    refs = {f"{qname}()": ref for qname, ref in ctx.returned_refs.items()}
    for name, value in ctx.globals.items():
        ref = value.ref
        if ref and ref.endswith("()") and "(" not in ref[:-2] and not ctx.repo_class_of(ref):
            refs[f"{ctx.module}.{name}" if ctx.module else name] = ref
    return refs


def sinks(files: list[FileSummary], lookup_alias) -> None:
    """Turn each kept call on a library object into the sink it is, in its function's summary."""
    refs: dict[str, str] = {}
    for summary in files:
        refs.update(summary.library_refs)
    if not refs:
        return
    for summary in files:
        for function in summary.functions:
            for call in function.library_calls:
                library = refs.get(call.owner) or refs.get(lookup_alias(call.owner))
                spec = SINK_CALLS.get(f"{library}.{call.method}") if library else None
                if spec is not None and not spec.special:
                    site = _site(call, spec)
                    if site is not None:
                        function.sinks.append(site)


def _site(call: LibraryCall, spec: Sink) -> SinkSite | None:
    parts = [call.star]
    parts.extend(call.args[index] for index in spec.args if index < len(call.args))
    parts.extend(call.kwargs[name] for name in spec.keywords if name in call.kwargs)
    taint = without(union_all(parts), RULES[spec.rule].kind)
    if not taint:
        return None
    where = call.site
    return SinkSite(spec.rule, where.file, where.line, where.end_line, where.column, where.what, taint)
