"""Handler classes whose ``self`` is the request: ``http.server``, socketserver, Tornado, Django views.

``self.path`` in a ``BaseHTTPRequestHandler``, ``self.get_argument("q")`` in a Tornado
``RequestHandler``, ``self.request.GET`` in a Django class-based view: the class's bases (as
far as this file knows them) say which framework calls it, and so what its attributes hold.
"""

from __future__ import annotations

from reviewers.security.catalog import DJANGO_REQUEST, display
from reviewers.security.catalog_web import (
    DJANGO_VIEW_MODULES,
    HANDLER_BASES,
    HANDLER_REQUEST_REFS,
    HANDLER_SOURCE_ATTRS,
    TORNADO_ARGUMENT_METHODS,
)
from reviewers.security.taint import Value

_MAX_DEPTH = 8


def handler_kind(ctx, owner: str | None, depth: int = 0) -> str | None:
    """Which framework calls the class ``owner`` (a qualified name), if it is a request handler."""
    if owner is None or depth > _MAX_DEPTH:
        return None
    known = ctx.handler_kinds.get(owner, False)
    if known is not False:
        return known
    kind = None
    for base in ctx.summary.classes.get(owner, ()):
        kind = HANDLER_BASES.get(base)
        if kind is None and base.startswith(DJANGO_VIEW_MODULES):
            kind = "django"
        kind = kind or handler_kind(ctx, base, depth + 1)
        if kind:
            break
    ctx.handler_kinds[owner] = kind
    return kind


def self_attribute(ctx, owner: str, attr: str, node) -> Value | None:
    """``self.<attr>`` in a handler: a source, or the request object; None if nothing special."""
    kind = handler_kind(ctx, owner)
    if kind is None:
        return None
    if attr in HANDLER_SOURCE_ATTRS.get(kind, ()):
        return Value(ctx.source("web", node, f"self.{attr}"))
    if attr == "request" and kind in HANDLER_REQUEST_REFS:
        ref = HANDLER_REQUEST_REFS[kind]
        if kind == "socketserver":
            return Value(ref=ref)  # a socket: its recv() is the source
        return Value(ctx.source("web", node, display(ref)) if ref != DJANGO_REQUEST else {}, ref=ref)
    return None


def self_method_source(ctx, owner: str, method: str, node) -> Value | None:
    """``self.get_argument("q")`` in a Tornado handler: untrusted data."""
    if method in TORNADO_ARGUMENT_METHODS and handler_kind(ctx, owner) == "tornado":
        return Value(ctx.source("web", node, f"self.{method}()"), kind="str")
    return None
