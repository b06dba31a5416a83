"""What the analysis of one file hands back: small, picklable summaries of its functions.

A worker process parses a file, runs the dataflow analysis over each function and keeps only
these summaries; the abstract syntax tree never leaves the worker. Taint sets in a summary may
still name parameters, calls to other functions and instance attributes (see taint.py): the
cross-module resolution (resolve.py) fills those in once every file is summarized.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SinkSite:
    """Data reaching a dangerous call (or a view's return value) in a function."""

    rule: str
    file: str
    line: int
    end_line: int
    column: int
    what: str
    taint: dict


@dataclass
class CallSite:
    """A call to what may be a function of the repository, with the taint of each argument."""

    callee: str
    file: str
    line: int
    args: tuple[dict, ...]
    kwargs: dict[str, dict]
    # Taint of ``*args`` / ``**kwargs`` whose position is unknown.
    star: dict
    # The call is made through an instance, which is passed as the first parameter.
    bound: bool
    receiver: dict


@dataclass
class LibraryCall:
    """A method called on what another module hands out (library.py): a sink if that is a library object."""

    # ``pkg.db.get_client()`` (a helper's result) or ``pkg.db.session`` (a global)
    owner: str
    method: str
    args: tuple[dict, ...]
    kwargs: dict[str, dict]
    star: dict
    # Where the call is; its rule and taint are filled in once the object is known.
    site: SinkSite


@dataclass
class FunctionSummary:
    qname: str
    file: str
    line: int
    positional: tuple[str, ...]
    keyword_only: tuple[str, ...]
    vararg: str | None
    kwarg: str | None
    static: bool
    ret: dict
    sinks: list[SinkSite] = field(default_factory=list)
    calls: dict[int, CallSite] = field(default_factory=dict)
    library_calls: list[LibraryCall] = field(default_factory=list)


@dataclass
class FieldWrite:
    """``self.attr = value`` in a method: the attribute's taint, for every method reading it."""

    cls: str
    attr: str
    function: str
    taint: dict


@dataclass
class Weakness:
    """A finding that needs no data flow: a weak hash, a predictable random value, a cookie flag."""

    rule: str
    file: str
    line: int
    end_line: int
    column: int
    message: str
    severity: str
    confidence: str
    what: str


@dataclass
class FileSummary:
    file: str
    module: str
    functions: list[FunctionSummary] = field(default_factory=list)
    # class -> its bases, as qualified names
    classes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # module-level names bound by imports: re-exports such as ``from .core import run``
    aliases: dict[str, str] = field(default_factory=dict)
    fields: list[FieldWrite] = field(default_factory=list)
    weaknesses: list[Weakness] = field(default_factory=list)
    # ``pkg.db.get_client()`` / ``pkg.db.session`` -> the library object it is (library.py)
    library_refs: dict[str, str] = field(default_factory=dict)
    # Django view -> the parameters its URL patterns capture with a typed converter (urlpatterns.py)
    typed_routes: dict[str, frozenset] = field(default_factory=dict)
    skipped: str | None = None
