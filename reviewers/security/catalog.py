"""What the engine knows about libraries: sources, sinks, sanitizers, validators, weak primitives.

Names are qualified names after import resolution (``flask.request.args``, ``os.system``).
A name ending in ``()`` is an instance (``random.Random()`` is what ``random.Random(...)``
returns), so ``random.Random().randint`` is that instance's method. docs/security-reviewer.md
lists all of this for users; keep the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewers.security.catalog_web import (
    AIOHTTP_REQUEST,
    BOTTLE_REQUEST,
    CLIENT_REFS,
    SSRF_CALLS,
    TORNADO_REQUEST,
    WEB_SOURCE_ATTRS,
    WEB_SOURCE_CALLS,
    WSGI_START_RESPONSE,
)
from reviewers.security.rules import ALL_KINDS

# Where untrusted data enters, by kind; a kind is "remote" (an attacker anywhere) or "local".
TRUST = {"web": "remote", "socket": "remote", "archive": "remote", "argv": "local", "input": "local",
         "env": "local", "file": "local"}  # fmt: skip
SOURCE_KINDS = tuple(TRUST)

FLASK_REQUEST = "flask.request"
DJANGO_REQUEST = "django.http.HttpRequest()"
STARLETTE_REQUEST = "starlette.requests.Request()"
_FLASK_ATTRS = ("args", "form", "values", "cookies", "headers", "json", "data", "files", "stream",
                "view_args", "query_string", "url", "full_path", "path", "referrer", "environ")  # fmt: skip
_DJANGO_ATTRS = ("GET", "POST", "COOKIES", "META", "body", "FILES", "headers", "data",
                 "query_params", "path", "path_info")  # fmt: skip
_STARLETTE_ATTRS = ("query_params", "path_params", "headers", "cookies", "url")

# Request objects: the object itself is no data (``log(request)``), but what it holds is, once
# read from it, wherever it was passed or stored first (taint.REQUEST and REQUEST_DATA).
REQUEST_OBJECTS = frozenset({FLASK_REQUEST, "quart.request", DJANGO_REQUEST, STARLETTE_REQUEST,
                             BOTTLE_REQUEST, AIOHTTP_REQUEST, TORNADO_REQUEST})  # fmt: skip
# Reading one of these attributes yields untrusted data.
SOURCE_ATTRS: dict[str, str] = {
    **{f"{FLASK_REQUEST}.{name}": "web" for name in _FLASK_ATTRS},
    **{f"quart.request.{name}": "web" for name in _FLASK_ATTRS},
    **{f"{DJANGO_REQUEST}.{name}": "web" for name in _DJANGO_ATTRS},
    **{f"{STARLETTE_REQUEST}.{name}": "web" for name in _STARLETTE_ATTRS},
    **WEB_SOURCE_ATTRS,
    "sys.argv": "argv",
    "os.environ": "env",
    "os.environb": "env",
}
# Calling one of these yields untrusted data.
SOURCE_CALLS: dict[str, str] = {
    f"{FLASK_REQUEST}.get_data": "web",
    f"{FLASK_REQUEST}.get_json": "web",
    f"{DJANGO_REQUEST}.get_full_path": "web",
    f"{DJANGO_REQUEST}.read": "web",
    f"{STARLETTE_REQUEST}.json": "web",
    f"{STARLETTE_REQUEST}.body": "web",
    f"{STARLETTE_REQUEST}.form": "web",
    **WEB_SOURCE_CALLS,
    "builtins.input": "input",
    "builtins.raw_input": "input",
    "os.getenv": "env",
    "os.getenvb": "env",
    "argparse.ArgumentParser().parse_args": "argv",
    "argparse.ArgumentParser().parse_known_args": "argv",
    "builtins.open": "file",
    "io.open": "file",
    "codecs.open": "file",
    "pathlib.Path().open": "file",
    "pathlib.Path().read_text": "file",
    "pathlib.Path().read_bytes": "file",
    "socket.socket().recv": "socket",
    "socket.socket().recvfrom": "socket",
    "socket.socket().recvmsg": "socket",
    "socket.socket().makefile": "socket",
    "urllib.request.urlopen": "socket",
    # The names of an archive's members are chosen by whoever made the archive (zip slip).
    "zipfile.ZipFile().namelist": "archive",
    "zipfile.ZipFile().infolist": "archive",
    "tarfile.TarFile().getnames": "archive",
    "tarfile.TarFile().getmembers": "archive",
    "tarfile.TarFile().next": "archive",
}
# The parameters of a request handler are untrusted, unless a type makes them safe.
ROUTE_DECORATORS = frozenset({"route", "get", "post", "put", "delete", "patch", "head", "options",
                              "api_route", "websocket"})  # fmt: skip
SAFE_ANNOTATIONS = frozenset({"int", "float", "bool", "UUID", "uuid.UUID", "datetime", "date",
                              "datetime.datetime", "datetime.date", "Decimal", "decimal.Decimal"})  # fmt: skip
SAFE_ROUTE_CONVERTERS = frozenset({"int", "float", "uuid"})

# Calls whose result is an object the engine follows: callee -> the result's reference.
RESULT_REFS: dict[str, str] = {
    "flask.Flask": "flask.Flask()",
    "flask.Blueprint": "flask.Blueprint()",
    "fastapi.FastAPI": "fastapi.FastAPI()",
    "fastapi.APIRouter": "fastapi.APIRouter()",
    "random.Random": "random.Random()",
    "random.SystemRandom": "random.SystemRandom()",
    "secrets.SystemRandom": "random.SystemRandom()",
    "socket.socket": "socket.socket()",
    "socket.create_connection": "socket.socket()",
    "socket.socket().accept": "socket.socket()",
    "builtins.open": "builtins.open()",
    "io.open": "builtins.open()",
    "codecs.open": "builtins.open()",
    "pathlib.Path().open": "builtins.open()",
    "pathlib.Path": "pathlib.Path()",
    "pathlib.PurePath": "pathlib.Path()",
    "pathlib.PosixPath": "pathlib.Path()",
    "pathlib.Path().resolve": "pathlib.Path()",
    "pathlib.Path().absolute": "pathlib.Path()",
    "pathlib.Path().joinpath": "pathlib.Path()",
    "pathlib.Path().with_name": "pathlib.Path()",
    "pathlib.Path().with_suffix": "pathlib.Path()",
    "ldap3.Connection": "ldap3.Connection()",
    "zipfile.ZipFile": "zipfile.ZipFile()",
    "tarfile.open": "tarfile.TarFile()",
    "tarfile.TarFile": "tarfile.TarFile()",
    "tarfile.TarFile.open": "tarfile.TarFile()",
    "ldap.initialize": "ldap.LDAPObject()",
    "argparse.ArgumentParser": "argparse.ArgumentParser()",
    "jinja2.Environment": "jinja2.Environment()",
    "jinja2.Template": "jinja2.Template()",
    # NOTE: a template an Environment loads is escaped as that Environment says (autoescape off
    # is a finding of its own); a bare ``Template(source)`` escapes nothing.
    "jinja2.Environment().get_template": "jinja2.environment.Template()",
    "jinja2.Environment().from_string": "jinja2.Template()",
    "lxml.etree.XMLParser": "lxml.etree.XMLParser()",
    **CLIENT_REFS,
    "ssl.create_default_context": "ssl.SSLContext()",
    "ssl.SSLContext": "ssl.SSLContext()",
    "flask_wtf.CSRFProtect": "flask_wtf.CSRFProtect()",
    "flask_wtf.csrf.CSRFProtect": "flask_wtf.CSRFProtect()",
    "xml.etree.ElementTree.parse": "xml.etree.ElementTree.ElementTree()",
    "xml.etree.ElementTree.ElementTree().getroot": "xml.etree.ElementTree.Element()",
    "xml.etree.ElementTree.fromstring": "xml.etree.ElementTree.Element()",
    "xml.etree.ElementTree.XML": "xml.etree.ElementTree.Element()",
    "xml.etree.ElementTree.Element().find": "xml.etree.ElementTree.Element()",
    # Responses: a view returning one has already said what its content is.
    **{name: "flask.Response()" for name in (
        "flask.make_response", "flask.Response", "werkzeug.Response", "werkzeug.wrappers.Response",
        "flask.redirect", "werkzeug.utils.redirect", "flask.send_file", "flask.send_from_directory",
        "flask.abort", "flask.stream_with_context")},
}


@dataclass(frozen=True)
class Sink:
    rule: str
    args: tuple[int, ...] = (0,)
    keywords: tuple[str, ...] = ()
    # The dangerous value is the object the method is called on (``Path(p).read_text()``).
    receiver: bool = False
    # A sink with extra conditions handled by name in calls.py (``subprocess``, ``yaml``...).
    special: str = ""


def _many(names, sink: Sink) -> dict[str, Sink]:
    return {name: sink for name in names}


_CMD = "command-injection"
SINK_CALLS: dict[str, Sink] = {
    **_many(("os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput",
             "commands.getoutput", "asyncio.create_subprocess_shell"), Sink(_CMD, (0,), ("cmd", "command"))),
    **_many([f"os.exec{suffix}" for suffix in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe")]
            + ["asyncio.create_subprocess_exec", "pty.spawn"], Sink(_CMD, (0,), ("file", "path"), special="program")),
    **_many([f"os.spawn{suffix}" for suffix in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe")],
            Sink(_CMD, (1,), ("file", "path"), special="program")),
    **_many([f"subprocess.{name}" for name in ("run", "call", "check_call", "check_output", "Popen")],
            Sink(_CMD, (0,), ("args",), special="subprocess")),
    **_many(("builtins.eval", "builtins.exec", "builtins.compile"), Sink("code-injection", (0,), ("source",))),
    **_many(("jinja2.Template", "flask.render_template_string", "quart.render_template_string",
             "jinja2.Environment().from_string", "jinja2.Environment().compile", "django.template.Template",
             "django.template.base.Template", "django.template.Engine().from_string", "mako.template.Template",
             "tornado.template.Template"), Sink("template-injection", (0,), ("source", "template_string", "text"))),
    **{name: Sink("ssrf", (index,), ("url", "host")) for name, index in SSRF_CALLS.items()},
    WSGI_START_RESPONSE: Sink("header-injection", (1,), ("headers", "response_headers")),
    **_many(("sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text",
             "pandas.read_sql", "pandas.read_sql_query", "django.db.models.expressions.RawSQL",
             "django.db.models.RawSQL"), Sink("sql-injection", (0,), ("sql", "text"))),
    **_many(("builtins.open", "io.open", "codecs.open", "os.open", "os.remove", "os.unlink",
             "os.rmdir", "os.removedirs", "os.listdir", "os.scandir", "os.mkdir", "os.makedirs",
             "os.chmod", "os.truncate", "shutil.rmtree", "flask.send_file", "tarfile.open",
             "zipfile.ZipFile", "starlette.responses.FileResponse", "fastapi.responses.FileResponse",
             "django.views.static.serve"), Sink("path-traversal", (0,), ("file", "path", "filename", "name", "path_or_file"))),
    **_many(("os.rename", "os.replace", "shutil.copy", "shutil.copy2", "shutil.copyfile",
             "shutil.copytree", "shutil.move"), Sink("path-traversal", (0, 1), ("src", "dst"))),
    **_many([f"pathlib.Path().{name}" for name in ("open", "read_text", "read_bytes", "write_text",
             "write_bytes", "unlink", "rmdir", "mkdir", "touch", "rename", "iterdir")],
            Sink("path-traversal", (), (), receiver=True)),
    **_many(("flask.make_response", "flask.Response", "werkzeug.Response", "werkzeug.wrappers.Response",
             "django.http.HttpResponse", "starlette.responses.HTMLResponse",
             "fastapi.responses.HTMLResponse"), Sink("xss", (0,), ("response", "content"), special="response")),
    **_many(("markupsafe.Markup", "flask.Markup", "jinja2.Markup", "django.utils.safestring.mark_safe",
             "django.utils.html.format_html", "django.utils.safestring.SafeString"), Sink("xss", (0,), ())),
    **_many(("flask.redirect", "werkzeug.utils.redirect", "django.shortcuts.redirect",
             "django.http.HttpResponseRedirect", "django.http.HttpResponsePermanentRedirect",
             "starlette.responses.RedirectResponse", "fastapi.responses.RedirectResponse"),
            Sink("open-redirect", (0,), ("location", "to", "redirect_to", "url"))),
    **_many(("lxml.etree.XPath", "lxml.etree.ETXPath"), Sink("xpath-injection", (0,), ("path",))),
    "ldap3.Connection().search": Sink("ldap-injection", (0, 1), ("search_base", "search_filter")),
    **_many([f"xml.etree.ElementTree.{kind}().{name}" for kind in ("Element", "ElementTree")
             for name in ("find", "findall", "findtext", "iterfind")], Sink("xpath-injection", (0,), ("path",))),
    **_many(("pickle.loads", "pickle.load", "pickle.Unpickler", "_pickle.loads", "_pickle.load",
             "cPickle.loads", "cPickle.load", "dill.loads", "dill.load", "marshal.loads", "marshal.load",
             "jsonpickle.decode", "pandas.read_pickle", "yaml.unsafe_load", "yaml.unsafe_load_all",
             "shelve.open"), Sink("unsafe-deserialization", (0,), ("data", "file", "stream", "string"))),
    **_many(("yaml.load", "yaml.load_all"), Sink("unsafe-deserialization", (0,), ("stream",), special="yaml")),
    "numpy.load": Sink("unsafe-deserialization", (0,), ("file",), special="numpy"),
    **_many([f"lxml.etree.{name}" for name in ("fromstring", "XML", "parse", "XMLID", "iterparse")],
            Sink("xxe", (0,), ("text", "source"), special="lxml")),
    **_many([f"{module}.{name}" for module in ("xml.etree.ElementTree", "xml.etree.cElementTree")
             for name in ("fromstring", "XML", "parse", "iterparse", "fromstringlist")]
            + [f"{module}.{name}" for module in ("xml.dom.minidom", "xml.dom.pulldom", "xml.sax")
               for name in ("parse", "parseString")], Sink("xxe", (0,), ("text", "source", "string"))),
}  # fmt: skip
# Sinks known by method name alone, whatever the object (a DB-API cursor, an lxml tree...).
METHOD_SINKS: dict[str, Sink] = {
    "execute": Sink("sql-injection", (0,), ("sql", "statement", "query", "operation")),
    "executemany": Sink("sql-injection", (0,), ("sql", "statement", "query", "operation")),
    "executescript": Sink("sql-injection", (0,), ("sql_script",)),
    "raw": Sink("sql-injection", (0,), ("raw_query",)),
    "xpath": Sink("xpath-injection", (0,), ("_path",)),
    **_many(("search_s", "search_st", "search_ext", "search_ext_s"),
            Sink("ldap-injection", (0, 2), ("base", "filterstr"))),
    "send_header": Sink("header-injection", (1,), ("value",)),
}
# The objects that hold a web session: storing into them crosses a trust boundary.
SESSION_REFS = frozenset({"flask.session", "quart.session", f"{DJANGO_REQUEST}.session",
                          f"{STARLETTE_REQUEST}.session"})  # fmt: skip

# Renderers of template files: callee -> (position of the template name, of the context dict,
# or None when the context is given as keyword arguments).
TEMPLATE_RENDERERS: dict[str, tuple[int, int | None]] = {
    "flask.render_template": (0, None), "quart.render_template": (0, None),
    "django.shortcuts.render": (1, 2), "django.shortcuts.render_to_response": (0, 1),
    "django.template.loader.render_to_string": (0, 1), "django.template.response.TemplateResponse": (1, 2),
}  # fmt: skip
# Sanitizers: callee -> the sanitizer classes its result is protected against.
_ALL = ALL_KINDS
SANITIZERS: dict[str, frozenset] = {
    **_many(("builtins.int", "builtins.float", "builtins.bool", "builtins.complex", "builtins.len",
             "builtins.abs", "builtins.round", "builtins.ord", "builtins.hash", "builtins.id",
             "builtins.isinstance", "builtins.issubclass", "builtins.callable", "uuid.UUID",
             "ipaddress.ip_address", "ipaddress.ip_network", "decimal.Decimal", "builtins.any",
             "builtins.all", "os.path.exists", "os.path.isfile", "os.path.isdir", "os.path.getsize",
             "hmac.compare_digest", "secrets.compare_digest"), _ALL),
    **_many(("html.escape", "markupsafe.escape", "flask.escape", "jinja2.escape", "cgi.escape",
             "django.utils.html.escape", "django.utils.html.conditional_escape", "bleach.clean",
             "xml.sax.saxutils.escape", "werkzeug.utils.escape", "flask.render_template",
             "django.shortcuts.render", "flask.jsonify", "json.dumps", "flask.render_template_string",
             "django.utils.html.format_html", "jinja2.environment.Template().render", "jinja2.environment.Template().render_async",
             "markupsafe._native.escape", "markupsafe._speedups.escape", "markupsafe.escape_silent",
             "markupsafe.Markup.escape", "jinja2.utils.htmlsafe_json_dumps", "flask.json.htmlsafe_dumps",
             "django.utils.html.escapejs", "django.utils.html.json_script"),
            frozenset({"xss"})),
    **_many(("shlex.quote", "pipes.quote", "shlex.join"), frozenset({"cmd"})),
    **_many(("urllib.parse.quote", "urllib.parse.quote_plus", "urllib.parse.urlencode"),
            frozenset({"xss", "cmd", "sql", "ldap", "xpath", "header"})),
    **_many(("os.path.basename", "werkzeug.utils.secure_filename", "werkzeug.secure_filename",
             "werkzeug.security.safe_join", "werkzeug.utils.safe_join", "flask.safe_join"),
            frozenset({"path"})),
    **_many(("flask.url_for", "django.urls.reverse", "django.shortcuts.reverse"), frozenset({"redirect"})),
    **_many(("ldap.filter.escape_filter_chars", "ldap.dn.escape_dn_chars", "ldap3.utils.conv.escape_filter_chars",
             "ldap3.utils.dn.escape_rdn"), frozenset({"ldap"})),
    # NOTE: text() is a sink itself; its result is not reported again where it is executed.
    **_many(("psycopg2.sql.Literal", "psycopg2.sql.Identifier", "MySQLdb.escape_string",
             "pymysql.converters.escape_string", "sqlalchemy.text", "sqlalchemy.sql.text",
             "sqlalchemy.sql.expression.text"), frozenset({"sql"})),
}  # fmt: skip
# A framework's sanitizers as its own repository names them, reviewed from inside its package
# (``utils.html.escape`` in Django's ``django/`` folder): the name without its first part, when
# at least two parts are left.
_SANITIZER_TAILS: dict[str, frozenset] = {
    key.split(".", 1)[1]: kinds for key, kinds in SANITIZERS.items()
    if key.count(".") >= 2 and not key.startswith(("builtins.", "os.", "urllib.", "xml."))
}


def sanitizer(ref: str) -> frozenset | None:
    """What ``ref`` sanitizes for, if it is a sanitizer (also inside the framework's own tree)."""
    return SANITIZERS.get(ref) or _SANITIZER_TAILS.get(ref)


# Attributes that sanitize: ``Path(name).name`` is a base name, like os.path.basename.
SANITIZING_ATTRS: dict[str, frozenset] = {"pathlib.Path().name": frozenset({"path"}),
                                          "pathlib.Path().suffix": frozenset({"path"})}  # fmt: skip
# Calls that normalize a path; a later prefix check makes the result safe (taint.NORM).
NORMALIZERS = frozenset({"os.path.realpath", "os.path.abspath", "os.path.normpath", "posixpath.realpath",
                         "posixpath.abspath", "posixpath.normpath", "pathlib.Path().resolve"})  # fmt: skip
# Calls that carry data through unchanged (decoders and the like), followed exactly.
PROPAGATORS = frozenset({
    "urllib.parse.unquote", "urllib.parse.unquote_plus", "urllib.parse.unquote_to_bytes",
    "base64.b64decode", "base64.urlsafe_b64decode", "base64.b32decode", "base64.b16decode",
    "base64.decodebytes", "base64.standard_b64decode", "binascii.unhexlify", "binascii.a2b_base64",
    "codecs.decode", "builtins.str", "builtins.bytes", "builtins.repr", "builtins.list",
    "builtins.tuple", "builtins.set", "builtins.dict", "builtins.sorted", "builtins.reversed",
    "builtins.format", "os.path.join", "posixpath.join", "os.path.dirname", "os.path.split",
    "os.path.splitext", "os.path.expanduser", "os.fspath", "posixpath.dirname", "json.loads", "json.load", "builtins.next",
    "urllib.parse.urljoin", "builtins.max", "builtins.min", "string.Template().substitute",
})  # fmt: skip
# Method calls that return a bool or a number, never the data: ``name.isdigit()``.
NON_DATA_METHODS = frozenset({
    "startswith", "endswith", "isdigit", "isnumeric", "isdecimal", "isalpha", "isalnum", "isascii",
    "isidentifier", "islower", "isupper", "isspace", "istitle", "count", "find", "rfind", "index",
    "rindex", "exists", "is_file", "is_dir", "is_relative_to", "is_absolute", "__len__", "__contains__",
    "close", "write", "flush", "seek", "tell",
})  # fmt: skip
# Methods of str/bytes/containers that are followed exactly (no "assumed" marker).
DATA_METHODS = frozenset({
    "strip", "lstrip", "rstrip", "lower", "upper", "casefold", "title", "capitalize", "swapcase",
    "replace", "split", "rsplit", "splitlines", "partition", "rpartition", "join", "format",
    "format_map", "encode", "decode", "get", "getlist", "pop", "items", "values", "keys", "copy",
    "read", "readline", "readlines", "recv", "removeprefix", "removesuffix", "center", "ljust",
    "rjust", "zfill", "expandtabs", "translate", "setdefault", "getvalue", "to_dict", "dict",
})  # fmt: skip
# Methods that put their arguments into the object they are called on.
MUTATORS = frozenset({"append", "extend", "insert", "add", "update", "setdefault", "appendleft",
                      "extendleft"})  # fmt: skip

# Calls that never return: code after them in a branch is dead (a guard's ``abort(403)``).
NORETURN = frozenset({"flask.abort", "werkzeug.exceptions.abort", "sys.exit", "builtins.exit",
                      "builtins.quit", "os._exit", "os.abort", "django.core.exceptions.PermissionDenied"})  # fmt: skip
# Validators: ``if not url_has_allowed_host_and_scheme(url, ...): return`` protects ``url``.
VALIDATORS: dict[str, frozenset] = {
    "django.utils.http.url_has_allowed_host_and_scheme": frozenset({"redirect"}),
    "django.utils.http.is_safe_url": frozenset({"redirect"}),
}
# A function of the repository whose name says it validates (``is_within_directory``,
# ``is_safe_url``, ``validate_name``) protects the arguments it is given when used as a guard.
VALIDATOR_WORDS = ("valid", "allowed", "safe", "within", "trusted", "permitted", "allowlist", "whitelist", "check",
                   "verify", "ensure", "_ok", "legal", "acceptable")  # fmt: skip
VALIDATING_METHODS = frozenset({"isdigit", "isnumeric", "isdecimal", "isalnum", "isalpha",
                                "isidentifier", "isascii_alnum"})  # fmt: skip
URL_PARSERS = frozenset({"urllib.parse.urlparse", "urllib.parse.urlsplit"})

# Weak primitives, found by resolving what is really called.
WEAK_HASH_CALLS: dict[str, str] = {
    "hashlib.md5": "MD5", "hashlib.sha1": "SHA-1", "hashlib.md4": "MD4",
    "Crypto.Hash.MD5.new": "MD5", "Crypto.Hash.MD4.new": "MD4", "Crypto.Hash.MD2.new": "MD2",
    "Crypto.Hash.SHA.new": "SHA-1", "Crypto.Hash.SHA1.new": "SHA-1",
    "Cryptodome.Hash.MD5.new": "MD5", "Cryptodome.Hash.SHA1.new": "SHA-1",
    "cryptography.hazmat.primitives.hashes.MD5": "MD5",
    "cryptography.hazmat.primitives.hashes.SHA1": "SHA-1",
}  # fmt: skip
WEAK_HASH_NAMES: dict[str, str] = {"md5": "MD5", "md4": "MD4", "md2": "MD2", "sha1": "SHA-1",
                                   "sha": "SHA-1", "md5-sha1": "MD5-SHA1", "mdc2": "MDC2",
                                   "ripemd160": "RIPEMD-160"}  # fmt: skip
HASH_BY_NAME = frozenset({"hashlib.new"})
RANDOM_FUNCTIONS = frozenset({
    "random", "randint", "randrange", "choice", "choices", "sample", "uniform", "getrandbits",
    "randbytes", "shuffle", "triangular", "gauss", "normalvariate", "betavariate", "expovariate",
    "lognormvariate", "vonmisesvariate", "paretovariate", "weibullvariate", "binomialvariate",
})  # fmt: skip
RANDOM_OWNERS = ("random", "random.Random()")
# Names that say a value protects something: a weak random value stored there matters more.
SECRET_WORDS = ("token", "password", "passwd", "secret", "key", "salt", "nonce", "otp", "csrf",
                "session", "pin", "auth", "reset", "verification", "iv", "one_time", "onetime", "captcha")  # fmt: skip
# Where a hash only names data (a cache key, an ETag), a weak one protects nothing an attacker
# could break: the function, its class or the variable so named. (A checksum or a fingerprint
# may be checked against tampering: those stay.)
NON_SECRET_HASH_WORDS = ("cache", "etag", "dedup")
COOKIE_METHODS = frozenset({"set_cookie", "set_signed_cookie"})
# Safe YAML loaders, by their last name part.
# Programs that run their ``-c`` argument as a shell command: ``["sh", "-c", command]``.
SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "cmd", "cmd.exe", "powershell", "pwsh"})
# Reading a file the program names itself (a constant path) yields the program's own data.
FILE_OPENERS = frozenset({"builtins.open", "io.open", "codecs.open"})
SAFE_YAML_LOADERS = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"})
# Constants the engine folds: ``if TYPE_CHECKING:`` is dead at run time.
KNOWN_CONSTANTS = {"typing.TYPE_CHECKING": False, "builtins.__debug__": True}


def known_names() -> frozenset:
    """Every qualified name the catalog knows: what ``from module import *`` may bring in."""
    names = set(SOURCE_ATTRS) | set(SOURCE_CALLS) | set(RESULT_REFS) | set(SINK_CALLS) | set(SANITIZERS)
    names |= NORMALIZERS | PROPAGATORS | NORETURN | set(VALIDATORS) | set(WEAK_HASH_CALLS) | HASH_BY_NAME
    names |= {f"random.{name}" for name in RANDOM_FUNCTIONS} | set(KNOWN_CONSTANTS)
    return frozenset(name for name in names if "()" not in name)


_SHORT_PREFIXES = {FLASK_REQUEST: "request", DJANGO_REQUEST: "request", STARLETTE_REQUEST: "request",
                   "quart.request": "request", "builtins.": ""}  # fmt: skip


def display(ref: str) -> str:
    """``flask.request.args`` -> ``request.args``: a name as code usually writes it."""
    for prefix, short in _SHORT_PREFIXES.items():
        if ref.startswith(prefix):
            return (short + ref[len(prefix):]).replace("()", "")
    parts = ref.replace("()", "").split(".")
    return ".".join(parts[-2:])
