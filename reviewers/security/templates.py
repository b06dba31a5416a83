"""Template files: the variables they render without escaping, and where auto-escaping is off.

Jinja2 and Django templates escape what they render, except a variable filtered ``|safe``
and everything inside ``{% autoescape off %}`` (Django) or ``{% autoescape false %}`` (Jinja2).
The engine reads the repository's templates once (``scan``), before the Python files; a call
that renders one of them (``render_template("profile.html", bio=...)``, Django's ``render``)
is then an XSS sink for exactly the values those variables receive (``check_render``).
"""

from __future__ import annotations

import re

from reviewers.security.ir import Weakness

TEMPLATE_SUFFIXES = (".html", ".htm", ".jinja", ".jinja2", ".j2", ".djhtml")
_SAFE_VARIABLE = re.compile(r"\{\{-?\s*([A-Za-z_]\w*)[^{}]*?\|\s*safe\b")
_VARIABLE = re.compile(r"\{\{-?\s*([A-Za-z_]\w*)([^{}]*)\}\}")
_ESCAPED = re.compile(r"\|\s*(?:e|escape|force_escape|urlencode|int|length|tojson)\b")
_AUTOESCAPE_OFF = re.compile(r"\{%-?\s*autoescape\s+(?:off|false)\s*-?%\}", re.IGNORECASE)
_AUTOESCAPE_END = re.compile(r"\{%-?\s*endautoescape\s*-?%\}")
# Templates larger than this are not read: a template is markup, not data.
MAX_TEMPLATE_BYTES = 1_000_000


def scan(tree) -> tuple[dict[str, tuple], list[Weakness]]:
    """``{name: ((template path, ((variable, file, line, how), ...)), ...)}`` and autoescape-off weaknesses."""
    unsafe: dict[str, tuple] = {}
    weaknesses = []
    for path in sorted(tree.with_suffix(*TEMPLATE_SUFFIXES)):
        try:
            text = tree.read_text(path, limit=MAX_TEMPLATE_BYTES)
        except (OSError, ValueError, UnicodeDecodeError):
            continue
        found = []
        escaping_off = False
        for number, line in enumerate(text.splitlines(), start=1):
            if _AUTOESCAPE_OFF.search(line):
                escaping_off = True
                weaknesses.append(Weakness("autoescape-disabled", path, number, number, line.find("{%") + 1,
                                           "{% autoescape off %}: the variables below are rendered unescaped",
                                           "medium", "high", "{% autoescape off %}"))  # fmt: skip
            found.extend((name, path, number, "is rendered with |safe") for name in _SAFE_VARIABLE.findall(line))
            if escaping_off:
                found.extend((name, path, number, "is rendered with auto-escaping off")
                             for name, filters in _VARIABLE.findall(line) if not _ESCAPED.search(filters))  # fmt: skip
            if _AUTOESCAPE_END.search(line):
                escaping_off = False
        for key in _names(path):
            unsafe[key] = (*unsafe.get(key, ()), (path, tuple(found)))
    # Names none of whose templates renders anything unescaped need no check at all.
    return {key: found for key, found in unsafe.items() if any(variables for _, variables in found)}, weaknesses


def _names(path: str) -> list[str]:
    """The names a view may use for ``path``: after the last ``templates/`` folder, and the path."""
    names = []
    if "templates/" in path:
        names.append(path.rsplit("templates/", 1)[1])
    names.append(path)
    return names


def _shared(a: str, b: str) -> int:
    count = 0
    for left, right in zip(a.split("/"), b.split("/"), strict=False):
        if left != right:
            break
        count += 1
    return count


def check_render(flow, call, template_at: int, context_at: int | None) -> None:
    """A call rendering a template file: XSS if a variable rendered unescaped receives input."""
    template = call.arg(template_at, "template_name", "template_name_or_list")
    if template is None or not isinstance(template.const, str):
        return
    candidates = flow.ctx.options.templates.get(template.const)
    if not candidates:
        return
    # Several apps may each have a ``profile.html``: the one nearest to this file is meant.
    _, variables = max(candidates, key=lambda item: (_shared(item[0], flow.ctx.path), item[0]))
    context = None if context_at is None else call.arg(context_at, "context")
    for name, file, line, how in variables:
        value = call.kwargs.get(name) if context_at is None else (context.item(name) if context else None)
        if value is not None:
            flow.sink("xss", call.node, value.flat(), f"{{{{ {name} }}}} that {how} ({file}:{line})")
