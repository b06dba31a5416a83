"""Functions and classes: what a definition binds, what its parameters hold, and its summary.

A request handler's parameters are untrusted (unless typed as numbers or converted by the
route); any other function's parameters are symbolic, so its summary says what each
parameter reaches, to be filled in at every call site (resolve.py).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from reviewers.security import handlers, settings_checks, validators
from reviewers.security.catalog import (
    DJANGO_REQUEST,
    RESULT_REFS,
    ROUTE_DECORATORS,
    SAFE_ANNOTATIONS,
    SAFE_ROUTE_CONVERTERS,
    STARLETTE_REQUEST,
)
from reviewers.security.catalog_web import AIOHTTP_REQUEST, HTTP_VERB_METHODS, WSGI_START_RESPONSE
from reviewers.security.dataflow import FunctionFlow
from reviewers.security.ir import FunctionSummary
from reviewers.security.modules import qualify
from reviewers.security.taint import Value

_REQUEST_TYPES = frozenset({"Request", "starlette.requests.Request", "fastapi.Request", "HTTPConnection",
                            "WebSocket", "fastapi.WebSocket"})  # fmt: skip
_WRAPPER_TYPES = frozenset({"Optional", "typing.Optional", "None", "Annotated", "typing.Annotated"})
_FLASK_CONVERTER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
# Bottle puts the filter after the name: ``/kill/<pid:int>``.
_BOTTLE_FILTER = re.compile(r"<(\w+):(int|float)(?::[^>]*)?>")
_AIOHTTP_TYPES = frozenset({"web.Request", "aiohttp.web.Request", "web.BaseRequest", "BaseRequest"})


@dataclass
class Route:
    """A request handler: which framework calls it, and the parameters its route makes safe."""

    framework: str
    safe: frozenset = frozenset()
    html: bool = False


@dataclass
class Job:
    node: ast.FunctionDef | ast.AsyncFunctionDef
    qname: str
    owner: str | None
    kind: str  # "function", "method", "static" or "class"
    route: Route | None


def define_function(flow: FunctionFlow, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
    """``def``: bind the name now; analyze the body now, or once the module's globals are known."""
    decorators = set()
    for decorator in node.decorator_list:
        ref = flow.eval(decorator).ref
        settings_checks.check_decorator(flow, ref, decorator)
        decorators.add(ref)
    qname = qualify(flow.scope, node.name)
    kind = "function"
    if flow.owner is not None:
        kind = "static" if "builtins.staticmethod" in decorators else (
            "class" if "builtins.classmethod" in decorators else "method")  # fmt: skip
    job = Job(node, qname, flow.owner, kind, _route(flow, node))
    flow.env[node.name] = Value(ref=qname)
    validator = validators.classify(node)
    if validator is not None:
        flow.ctx.validators[qname] = validator
    if flow.defer:
        flow.ctx.pending.append(job)
    else:
        captured = flow.outer_env if flow.owner is not None else flow.env
        analyze_function(flow.ctx, job, dict(captured or {}))


def define_class(flow: FunctionFlow, node: ast.ClassDef) -> None:
    for decorator in node.decorator_list:
        flow.eval(decorator)
    bases = []
    for base in node.bases:
        ref = flow.eval(base).ref
        if ref:
            bases.append(flow.ctx.index.repo_name(ref, flow.ctx.module) or ref)
    qname = qualify(flow.scope, node.name)
    flow.ctx.summary.classes[qname] = tuple(bases)
    saved = (flow.env, flow.scope, flow.owner, flow.outer_env)
    if flow.owner is None:
        flow.outer_env = flow.env
    flow.env, flow.scope, flow.owner = {}, qname, qname
    try:
        flow.block(node.body, flow.env)
    finally:
        flow.env, flow.scope, flow.owner, flow.outer_env = saved
    flow.env[node.name] = Value(ref=qname)


def analyze_function(ctx, job: Job, captured: dict) -> None:
    node = job.node
    route = job.route
    view = route.framework if route is not None and (route.framework == "flask" or route.html) else None
    flow = FunctionFlow(ctx, job.qname, captured, view="flask" if view else None)
    arguments = node.args
    if job.owner is not None and job.kind != "static":
        flow.cls = job.owner
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults = dict(zip([arg.arg for arg in positional][len(positional) - len(arguments.defaults):],
                        arguments.defaults, strict=True))  # fmt: skip
    defaults.update({arg.arg: default for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
                     if default is not None})  # fmt: skip
    skip_first = job.owner is not None and job.kind != "static"
    django_view = "django" in ctx.frameworks and _takes_request(positional[1 if skip_first else 0:])
    for index, arg in enumerate(positional):
        if index == 0 and skip_first:
            # ``self`` is a parameter like any other: its taint is the receiver's at a call.
            flow.self_name = arg.arg
            own = _parameter(ctx, Job(node, job.qname, None, "function", None), arg, None, False)
            flow.env[arg.arg] = Value(own.taint, ref=job.owner if job.kind == "class" else f"{job.owner}()")
        else:
            flow.env[arg.arg] = _typed(flow, arg, _parameter(ctx, job, arg, defaults.get(arg.arg), django_view))
    for arg in arguments.kwonlyargs:
        flow.env[arg.arg] = _typed(flow, arg, _parameter(ctx, job, arg, defaults.get(arg.arg), django_view))
    for arg, kind in ((arguments.vararg, "tuple"), (arguments.kwarg, "dict")):
        if arg is not None:
            value = _parameter(ctx, job, arg, None, django_view)
            flow.env[arg.arg] = Value(value.taint, kind=kind)
    flow.block(node.body, flow.env)
    if flow.returned_refs and len(flow.returned_refs) == 1:
        ctx.returned_refs[job.qname] = next(iter(flow.returned_refs))
    ctx.summary.functions.append(
        FunctionSummary(
            qname=job.qname, file=ctx.path, line=node.lineno,
            positional=tuple(arg.arg for arg in positional),
            keyword_only=tuple(arg.arg for arg in arguments.kwonlyargs),
            vararg=arguments.vararg.arg if arguments.vararg else None,
            kwarg=arguments.kwarg.arg if arguments.kwarg else None,
            static=job.kind == "static", ret=flow.ret,
            sinks=list(flow.sinks.values()), calls=flow.calls, library_calls=list(flow.library_calls.values()),
        )
    )


def module_summary(ctx, flow: FunctionFlow) -> FunctionSummary:
    return FunctionSummary(
        qname=flow.qname, file=ctx.path, line=1, positional=(), keyword_only=(), vararg=None,
        kwarg=None, static=False, ret=flow.ret, sinks=list(flow.sinks.values()), calls=flow.calls,
        library_calls=list(flow.library_calls.values()),
    )  # fmt: skip


def _parameter(ctx, job: Job, arg: ast.arg, default: ast.expr | None, django_view: bool) -> Value:
    name = arg.arg
    annotation = _annotation_names(arg.annotation)
    if annotation & _REQUEST_TYPES and ctx.frameworks & {"fastapi", "starlette"}:
        return Value(ref=STARLETTE_REQUEST)
    if name == "request" and "django" in ctx.frameworks:
        return Value(ref=DJANGO_REQUEST)
    framework_value = _framework_parameter(ctx, job, name, annotation)
    if framework_value is not None:
        return framework_value
    short = job.qname.rsplit(".", 1)[-1]
    if job.route is not None or django_view:
        if job.route is not None and name in job.route.safe:
            return Value()
        if annotation and annotation - _WRAPPER_TYPES <= SAFE_ANNOTATIONS:
            return Value()
        if isinstance(default, ast.Call) and ast.unparse(default.func).endswith("Depends"):
            return Value()
        return Value(ctx.source("web", arg, f"parameter {name} of request handler {short}()"))
    atom = ("p", job.qname, name)
    return Value({(atom, frozenset()): ((ctx.path, arg.lineno, f"parameter {name} of {short}()"),)})


def _framework_parameter(ctx, job: Job, name: str, annotation: frozenset) -> Value | None:
    """aiohttp and Starlette ``request``, WSGI ``environ``/``start_response``, Tornado path arguments."""
    if "aiohttp" in ctx.frameworks and (name == "request" or annotation & _AIOHTTP_TYPES):
        return Value(ref=AIOHTTP_REQUEST)
    if name == "request" and not annotation and ctx.frameworks & {"fastapi", "starlette"}:
        return Value(ref=STARLETTE_REQUEST)
    names = [arg.arg for arg in (*job.node.args.posonlyargs, *job.node.args.args)]
    if names[-2:] == ["environ", "start_response"]:
        if name == "environ":
            return Value(ctx.source("web", job.node, "WSGI environ"), kind="dict")
        if name == "start_response":
            return Value(ref=WSGI_START_RESPONSE)
    if job.owner and job.node.name in HTTP_VERB_METHODS and names and name != names[0] \
            and handlers.handler_kind(ctx, job.owner) == "tornado":  # fmt: skip
        return Value(ctx.source("web", job.node, f"path argument {name} of {job.node.name}()"))
    return None


def _typed(flow: FunctionFlow, arg: ast.arg, value: Value) -> Value:
    """A parameter annotated with a class we follow is an instance of it (``conn: socket.socket``)."""
    annotation = arg.annotation
    if value.ref is not None or not isinstance(annotation, (ast.Name, ast.Attribute)):
        return value
    ref = flow.eval(annotation).ref
    if not ref or ref.startswith("builtins."):
        return value
    instance = RESULT_REFS.get(ref) or (f"{ref}()" if flow.ctx.repo_target(ref) else None)
    return Value(value.taint, ref=instance) if instance else value


def _takes_request(arguments: list[ast.arg]) -> bool:
    return bool(arguments) and arguments[0].arg == "request"


def _annotation_names(annotation: ast.expr | None) -> frozenset:
    if annotation is None:
        return frozenset()
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        text = annotation.value
    else:
        text = ast.unparse(annotation)
    return frozenset(re.findall(r"[A-Za-z_][\w.]*", text))


def _route(flow: FunctionFlow, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Route | None:
    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Name):
            ref = flow.eval(decorator.func).ref or ""
            if ref.startswith("bottle.") and ref.rsplit(".", 1)[-1] in ROUTE_DECORATORS:
                path = flow.eval(decorator.args[0]).const if decorator.args else None
                safe = frozenset(name for name, _ in _BOTTLE_FILTER.findall(path)) if isinstance(path, str) else frozenset()
                return Route("flask", safe)
        if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
            continue
        if decorator.func.attr not in ROUTE_DECORATORS or not isinstance(decorator.func.value, ast.Name):
            continue
        path = flow.eval(decorator.args[0]).const if decorator.args else None
        receiver = flow.eval(decorator.func.value).ref or ""
        framework = _framework(flow.ctx, receiver, path)
        if framework is None:
            continue
        safe = frozenset()
        if isinstance(path, str):
            safe = frozenset(name for converter, name in _FLASK_CONVERTER.findall(path)
                             if converter in SAFE_ROUTE_CONVERTERS)  # fmt: skip
        html = any(keyword.arg == "response_class" and ast.unparse(keyword.value).endswith("HTMLResponse")
                   for keyword in decorator.keywords)  # fmt: skip
        return Route(framework, safe, html)
    return None


def _framework(ctx, receiver: str, path) -> str | None:
    if receiver.startswith(("fastapi.", "starlette.")):
        return "fastapi"
    if receiver.startswith(("flask.", "quart.")):
        return "flask"
    if not (isinstance(path, str) and path.startswith("/")):
        return None
    if ctx.frameworks & {"fastapi", "starlette"} and "flask" not in ctx.frameworks:
        return "fastapi"
    return "flask"
