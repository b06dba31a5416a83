"""Django URL patterns: a view parameter a typed converter captures holds no attacker's text.

``path("orders/<int:pk>/", views.detail)`` only routes digits to ``detail(request, pk)``, so
``pk`` is no injection source. The pattern is usually in ``urls.py`` and the view in
``views.py``, analyzed apart (maybe in other processes): each file notes its patterns' typed
parameters (``FileSummary.typed_routes``), and the parent drops the sources they make safe.
"""

from __future__ import annotations

import re

from reviewers.security.catalog import SAFE_ROUTE_CONVERTERS

PATTERN_CALLS = frozenset({"django.urls.path", "django.urls.re_path", "django.conf.urls.url"})
# ``slug`` is letters, digits, ``-`` and ``_``: nothing a query, a shell or a path can misread.
_SAFE_CONVERTERS = SAFE_ROUTE_CONVERTERS | {"slug"}
_CONVERTER = re.compile(r"<(\w+):(\w+)>")
_GROUP = re.compile(r"\(\?P<(\w+)>(\\d\+|\[0-9\]\+|\\d\{\d+(?:,\d*)?\}|\[-?\\w\]\+|\[-\w]\+)\)")


def note(flow, call) -> None:
    """``path(route, view)``: the typed parameters of ``view``, in the file's summary."""
    route = call.arg(0, "route")
    view = call.arg(1, "view")
    if route is None or view is None or not isinstance(route.const, str) or not view.ref:
        return
    ctx = flow.ctx
    target = ctx.index.repo_name(view.ref, ctx.module)
    if target is None:
        return
    if call.ref == "django.urls.path":
        safe = {name for converter, name in _CONVERTER.findall(route.const) if converter in _SAFE_CONVERTERS}
    else:
        safe = {name for name, _ in _GROUP.findall(route.const)}
    known = ctx.summary.typed_routes.get(target)
    # A view routed by several patterns is safe only in what every one of them types.
    ctx.summary.typed_routes[target] = frozenset(safe if known is None else known & safe)


def safe_sources(files, functions: dict) -> frozenset[tuple[str, str]]:
    """``(file, what)`` of the parameter sources typed routes make safe (see functions._parameter)."""
    typed: dict[str, frozenset] = {}
    for summary in files:
        for view, names in summary.typed_routes.items():
            typed[view] = names if view not in typed else typed[view] & names
    found = set()
    for view, names in typed.items():
        function = functions.get(view)
        if function is None:
            continue
        short = view.rsplit(".", 1)[-1]
        found.update((function.file, f"parameter {name} of request handler {short}()") for name in names)
    return frozenset(found)
