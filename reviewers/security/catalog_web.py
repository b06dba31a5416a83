"""What the engine knows about web frameworks and HTTP clients, beside catalog.py's core.

Request objects and their data (Bottle, aiohttp, Tornado, ``http.server``, WSGI, CGI), the
handler classes whose ``self`` is the request, and the HTTP clients that are SSRF sinks.
"""

from __future__ import annotations

BOTTLE_REQUEST = "bottle.request"
AIOHTTP_REQUEST = "aiohttp.web.Request()"
TORNADO_REQUEST = "tornado.httputil.HTTPServerRequest()"
WSGI_START_RESPONSE = "wsgi.start_response"

_BOTTLE_ATTRS = ("query", "forms", "params", "GET", "POST", "files", "cookies", "json", "body", "headers",
                 "url", "path", "fullpath", "query_string", "environ")  # fmt: skip
_AIOHTTP_ATTRS = ("match_info", "query", "rel_url", "headers", "cookies", "url", "path", "path_qs",
                  "query_string", "raw_path", "content")  # fmt: skip
_TORNADO_ATTRS = ("arguments", "query_arguments", "body_arguments", "body", "headers", "uri", "path",
                  "query", "files", "cookies")  # fmt: skip

WEB_SOURCE_ATTRS: dict[str, str] = {
    **{f"{BOTTLE_REQUEST}.{name}": "web" for name in _BOTTLE_ATTRS},
    **{f"{AIOHTTP_REQUEST}.{name}": "web" for name in _AIOHTTP_ATTRS},
    **{f"{TORNADO_REQUEST}.{name}": "web" for name in _TORNADO_ATTRS},
}
WEB_SOURCE_CALLS: dict[str, str] = {
    f"{BOTTLE_REQUEST}.get_cookie": "web",
    f"{BOTTLE_REQUEST}.get_header": "web",
    **{f"{AIOHTTP_REQUEST}.{name}": "web" for name in ("post", "json", "text", "read", "multipart")},
    "cgi.FieldStorage": "web",
}

# The data of a request object, whatever framework made it: reading one of these from a
# request object that reached here through a parameter or an attribute is reading input
# (taint.REQUEST_DATA). On anything that is not a request object, it means nothing.
REQUEST_DATA_ATTRS = frozenset({
    "args", "form", "values", "cookies", "headers", "json", "data", "files", "stream", "view_args",
    "query_string", "url", "full_path", "path", "referrer", "environ", "GET", "POST", "COOKIES", "META",
    "body", "FILES", "query_params", "path_params", "match_info", "query", "rel_url", "forms", "params",
    "arguments", "query_arguments", "body_arguments", "uri", "matchdict", "json_body", "path_info",
})  # fmt: skip
REQUEST_DATA_METHODS = frozenset({
    "get_json", "get_data", "get_full_path", "read", "json", "body", "form", "post", "text",
    "get_argument", "get_arguments", "get_query_argument", "get_query_arguments", "get_body_argument",
    "get_body_arguments", "get_cookie", "multipart", "getvalue", "getfirst", "getlist",
})  # fmt: skip

# Handler classes: their instances *are* the request (``self.path``) or hold it (``self.request``).
HANDLER_BASES: dict[str, str] = {
    "http.server.BaseHTTPRequestHandler": "http.server",
    "http.server.SimpleHTTPRequestHandler": "http.server",
    "http.server.CGIHTTPRequestHandler": "http.server",
    "socketserver.BaseRequestHandler": "socketserver",
    "socketserver.StreamRequestHandler": "socketserver",
    "socketserver.DatagramRequestHandler": "socketserver",
    "tornado.web.RequestHandler": "tornado",
    "tornado.websocket.WebSocketHandler": "tornado",
    "aiohttp.web.View": "aiohttp",
}
# Django's and DRF's class-based views, by the modules they come from.
DJANGO_VIEW_MODULES = ("django.views", "rest_framework.views", "rest_framework.generics",
                       "rest_framework.viewsets")  # fmt: skip
HANDLER_SOURCE_ATTRS: dict[str, frozenset] = {
    "http.server": frozenset({"path", "headers", "rfile", "requestline", "raw_requestline"}),
    "socketserver": frozenset({"rfile"}),
    "tornado": frozenset({"path_args", "path_kwargs"}),
    "django": frozenset({"kwargs", "args"}),
}
# What ``self.request`` is in each kind of handler.
HANDLER_REQUEST_REFS = {"socketserver": "socket.socket()", "tornado": TORNADO_REQUEST,
                        "aiohttp": AIOHTTP_REQUEST, "django": "django.http.HttpRequest()"}  # fmt: skip
TORNADO_ARGUMENT_METHODS = frozenset({
    "get_argument", "get_arguments", "get_query_argument", "get_query_arguments", "get_body_argument",
    "get_body_arguments", "get_cookie", "get_secure_cookie", "decode_argument",
})  # fmt: skip
HTTP_VERB_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})

# HTTP clients: objects whose requests an attacker must not aim (SSRF).
CLIENT_REFS: dict[str, str] = {
    "requests.Session": "requests.Session()",
    "requests.session": "requests.Session()",
    "requests.sessions.Session": "requests.Session()",
    "httpx.Client": "httpx.Client()",
    "httpx.AsyncClient": "httpx.AsyncClient()",
    "aiohttp.ClientSession": "aiohttp.ClientSession()",
    "urllib3.PoolManager": "urllib3.PoolManager()",
    "tornado.httpclient.AsyncHTTPClient": "tornado.httpclient.AsyncHTTPClient()",
    "tornado.httpclient.HTTPClient": "tornado.httpclient.HTTPClient()",
    "cgi.FieldStorage": "cgi.FieldStorage()",
    "django.http.HttpResponse": "django.http.HttpResponse()",
}
_CLIENT_OWNERS = ("requests", "httpx", "requests.Session()", "httpx.Client()", "httpx.AsyncClient()",
                  "aiohttp.ClientSession()")  # fmt: skip
# callee -> index of the URL among the positional arguments.
SSRF_CALLS: dict[str, int] = {
    **{f"{owner}.{verb}": 0 for owner in _CLIENT_OWNERS for verb in HTTP_VERB_METHODS},
    **{f"{owner}.request": 1 for owner in _CLIENT_OWNERS},
    "httpx.stream": 1,
    "aiohttp.ClientSession().ws_connect": 0,
    "tornado.httpclient.AsyncHTTPClient().fetch": 0,
    "tornado.httpclient.HTTPClient().fetch": 0,
    "tornado.httpclient.HTTPRequest": 0,
    "urllib.request.urlopen": 0,
    "urllib.request.Request": 0,
    "urllib3.request": 1,
    "urllib3.PoolManager().request": 1,
    "urllib3.PoolManager().urlopen": 1,
    "http.client.HTTPConnection": 0,
    "http.client.HTTPSConnection": 0,
}
