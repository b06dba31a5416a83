"""Dangerous settings, found where they are written: debug mode, CSRF off, TLS checks off, no escaping.

Each is a weakness (no data flow): a constant that turns a protection off, in a call
(``app.run(debug=True)``, ``requests.get(url, verify=False)``, ``Environment(autoescape=False)``),
an assignment (``DEBUG = True`` in deployable settings, ``ctx.verify_mode = ssl.CERT_NONE``,
``app.config["WTF_CSRF_ENABLED"] = False``) or a decorator (``@csrf_exempt``). Values that are
not constants (``debug=os.environ.get(...)``) are choices made at run time: not reported.
"""

from __future__ import annotations

import ast
import re

from reviewers.security import folding, hardcoded
from reviewers.security.catalog import display

_DEBUG_CALLS = {"flask.Flask().run": "debug", "fastapi.FastAPI": "debug", "starlette.applications.Starlette": "debug",
                "tornado.web.Application": "debug", "bottle.run": "debug", "bottle.debug": 0,
                "werkzeug.serving.run_simple": "use_debugger", "werkzeug.run_simple": "use_debugger",
                "werkzeug.debug.DebuggedApplication": "evalex"}  # fmt: skip
_CSRF_EXEMPT = frozenset({"django.views.decorators.csrf.csrf_exempt", "flask_wtf.CSRFProtect().exempt"})
_CSRF_SETTINGS = frozenset({"WTF_CSRF_ENABLED", "WTF_CSRF_CHECK_DEFAULT", "CSRF_ENABLED"})
_CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware"
_SESSION_MIDDLEWARE = ("django.contrib.sessions.middleware.SessionMiddleware",
                       "django.contrib.auth.middleware.AuthenticationMiddleware")  # fmt: skip
_HTTP_CLIENTS = ("requests", "httpx")
# The objects whose ``debug``, ``verify_mode`` and ``verify`` attributes turn a protection off.
_SETTING_OWNERS = {"debug": frozenset({"flask.Flask()", "quart.Quart()", "bottle.Bottle()"}),
                   "verify_mode": frozenset({"ssl.SSLContext()"}),
                   "verify": frozenset({"requests.Session()", "httpx.Client()", "httpx.AsyncClient()"})}  # fmt: skip
_HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "send",
                           "Client", "AsyncClient", "Session", "stream"})  # fmt: skip
_UNVERIFIED = frozenset({"ssl._create_unverified_context", "ssl._create_stdlib_context"})
_HOST_KEY_POLICIES = ("AutoAddPolicy()", "WarningPolicy()")
_AUTOESCAPE_CALLS = frozenset({"jinja2.Environment", "jinja2.Template", "jinja2.sandbox.SandboxedEnvironment"})
# Settings modules that are not deployed: development, local, test.
_DEV_SETTINGS = re.compile(r"(?:^|[/_.])(?:dev|devel|development|local|test|tests|testing|ci)(?:[/_.]|$)")
_SETTINGS_FILE = re.compile(r"(?:^|/)(?:settings|config|prod|production|conf)(?:/[^/]+)?\.py$|(?:^|/)settings/")


def check_call(flow, call) -> None:
    ref = call.ref or ""
    flag = _DEBUG_CALLS.get(ref)
    if flag is None and call.method == "run" and flow.ctx.frameworks & {"flask", "bottle"}:
        flag = "debug"  # ``app.run(debug=True)`` on an app a factory made
    if flag is not None and _true(call.arg(flag, flag) if isinstance(flag, int) else call.kwargs.get(flag)):
        _debug(flow, call.node, f"{_short(call)}({flag if isinstance(flag, str) else ''}...True)")
    verify = call.kwargs.get("verify")
    if verify is not None and _false(verify) and (ref.startswith(_HTTP_CLIENTS) or call.method in _HTTP_METHODS):
        _tls(flow, call.node, f"{_short(call)}() with verify=False")
    if ref in _UNVERIFIED:
        _tls(flow, call.node, f"{_short(call)}() makes a context that checks no certificate")
    cert_reqs = call.kwargs.get("cert_reqs")
    if cert_reqs is not None and (cert_reqs.ref == "ssl.CERT_NONE" or cert_reqs.const == "CERT_NONE"):
        _tls(flow, call.node, f"{_short(call)}() with cert_reqs=CERT_NONE")
    if ref.startswith("aiohttp.") and any(_false(call.kwargs.get(name)) for name in ("ssl", "verify_ssl")):
        _tls(flow, call.node, f"{_short(call)}() with ssl=False")
    if call.method == "set_missing_host_key_policy" and call.node.args and \
            ast.unparse(call.node.args[0]).endswith(_HOST_KEY_POLICIES):  # fmt: skip
        _tls(flow, call.node, "SSH host keys accepted without checking them")
    if ref in _AUTOESCAPE_CALLS and _false(call.kwargs.get("autoescape")):
        flow.ctx.weakness("autoescape-disabled", call.node, f"{_short(call)}(autoescape=False): templates render "
                          "data as HTML unescaped", "medium", "high", f"{_short(call)}()")  # fmt: skip
    if ref in _CSRF_EXEMPT:
        _csrf(flow, call.node, f"{_short(call)}() turns CSRF protection off for a view")
    if call.method == "update" and (call.receiver.ref or "").endswith(".config"):
        for keyword in call.node.keywords:
            if keyword.arg in call.kwargs and keyword.arg.upper() != keyword.arg.lower():
                _setting_only(flow, keyword.arg, call.kwargs[keyword.arg], keyword.value)


def check_decorator(flow, ref: str | None, node) -> None:
    if ref in _CSRF_EXEMPT:
        _csrf(flow, node, "the view is exempt from CSRF protection")


def setting(flow, name: str, value, node, owner=None) -> None:
    """``NAME = value`` (a module's setting, an attribute of ``owner``, a config key): what it turns off."""
    hardcoded.check_named(flow, name, value, node)
    _setting_only(flow, name, value, node, owner)


def _setting_only(flow, name: str, value, node, owner=None) -> None:
    upper = name.upper()
    if owner is not None and name in ("debug", "verify_mode", "verify") and owner.ref not in _SETTING_OWNERS[name]:
        return  # ``self.debug = True`` in a parser, ``self.verify_mode`` of a stand-in context
    if upper in _CSRF_SETTINGS and _false(value):
        _csrf(flow, node, f"{name} = False turns CSRF protection off")
    elif upper == "DEBUG" and _true(value) and _deployable(flow, name):
        _debug(flow, node, f"{name} = True")
    elif name == "verify_mode" and value.ref == "ssl.CERT_NONE":
        _tls(flow, node, "verify_mode = CERT_NONE: the peer's certificate is not checked")
    elif name == "verify" and _false(value):
        _tls(flow, node, "verify = False: the server's certificate is not checked")
    elif upper in ("MIDDLEWARE", "MIDDLEWARE_CLASSES") and isinstance(value.const, tuple) and flow.qname.endswith("<module>"):
        names = value.const
        if any(item in names for item in _SESSION_MIDDLEWARE) and _CSRF_MIDDLEWARE not in names:
            _csrf(flow, node, f"{name} has no CsrfViewMiddleware")


def _deployable(flow, name: str) -> bool:
    """``DEBUG = True`` matters in settings that are deployed; ``app.debug`` anywhere but tests."""
    path = flow.ctx.path.lower()
    if hardcoded.looks_like_test(path) or _DEV_SETTINGS.search(path):
        return False
    return name != "DEBUG" or bool(_SETTINGS_FILE.search(path))


def _true(value) -> bool:
    return value is not None and value.const is True


def _false(value) -> bool:
    return value is not None and value.const is not folding.NOCONST and value.const is False


def _short(call) -> str:
    return display(call.ref) if call.ref else (call.method or "call")


def _debug(flow, node, what: str) -> None:
    if hardcoded.looks_like_test(flow.ctx.path):
        return
    flow.ctx.weakness("debug-enabled", node, f"{what}: the debugger shows code and runs it for anyone",
                      "high", "high", what)  # fmt: skip


def _csrf(flow, node, message: str) -> None:
    flow.ctx.weakness("csrf-disabled", node, message, "medium", "high", "csrf")


def _tls(flow, node, message: str) -> None:
    flow.ctx.weakness("tls-unverified", node, message, "high", "high", "tls")
