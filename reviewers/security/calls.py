"""What a call does to data: a source, a sink, a sanitizer, a repository function, or unknown code."""

from __future__ import annotations

import ast

from reviewers.security import (
    folding,
    handlers,
    library,
    structure,
    templates,
    urlpatterns,
    weaknesses,
)
from reviewers.security.catalog import (
    DATA_METHODS,
    FILE_OPENERS,
    METHOD_SINKS,
    MUTATORS,
    NON_DATA_METHODS,
    NORMALIZERS,
    PROPAGATORS,
    RESULT_REFS,
    SAFE_YAML_LOADERS,
    SESSION_REFS,
    SHELLS,
    SINK_CALLS,
    SOURCE_CALLS,
    TEMPLATE_RENDERERS,
    Sink,
    display,
    sanitizer,
)
from reviewers.security.catalog_web import REQUEST_DATA_METHODS, SSRF_CALLS
from reviewers.security.rules import ALL_KINDS
from reviewers.security.taint import (
    ASSUMED,
    EMPTY,
    FORMATTED,
    NOCONST,
    NORM,
    REQUEST_DATA,
    REST,
    Taint,
    Value,
    cleanse,
    join,
    known_key,
    union,
    union_all,
)

_ASSUMED = frozenset({ASSUMED})
_NORM = frozenset({NORM})
_PATH_METHODS = frozenset({"resolve", "absolute", "joinpath", "with_name", "with_suffix", "parent",
                           "expanduser"})  # fmt: skip
_SESSION_WRITES = frozenset({"update", "setdefault", "__setitem__"})
_HEADER_SAFE = frozenset({"header"})
_REQUEST_DATA = frozenset({REQUEST_DATA})
_LINE_BREAKS = frozenset({"\n", "\r", "\r\n"})


class Call:
    """A call being evaluated: what is called, on what, and with which arguments."""

    __slots__ = ("args", "kwargs", "method", "node", "receiver", "ref", "star", "star_kwargs")

    def __init__(self, node: ast.Call, ref: str | None, method: str | None, receiver: Value | None):
        self.node = node
        self.ref = ref
        self.method = method
        self.receiver = receiver
        self.args: list[Value] = []
        self.kwargs: dict[str, Value] = {}
        # Taint of arguments whose position is unknown (after a ``*args``) or of ``**kwargs``.
        self.star: Taint = EMPTY
        self.star_kwargs = False

    def arg(self, index: int, *names: str) -> Value | None:
        if index < len(self.args):
            return self.args[index]
        for name in names:
            if name in self.kwargs:
                return self.kwargs[name]
        return None

    def data(self, with_receiver: bool = True) -> Taint:
        """Everything passed in: what a function we do not know could return."""
        parts = [value.flat() for value in self.args]
        parts.extend(value.flat() for value in self.kwargs.values())
        parts.append(self.star)
        if with_receiver and self.receiver is not None:
            parts.append(self.receiver.flat())
        return union_all(parts)


def evaluate_call(flow, node: ast.Call) -> Value:
    func = node.func
    if isinstance(func, ast.Attribute):
        receiver = flow.eval(func.value)
        method = func.attr
        ref = f"{receiver.ref}.{method}" if receiver.ref else None
        if receiver.items is not None and (".", method) in receiver.items:
            ref = receiver.items[(".", method)].ref
    else:
        receiver = None
        method = None
        ref = flow.eval(func).ref
    call = Call(node, ref, method, receiver)
    for argument in node.args:
        if isinstance(argument, ast.Starred):
            call.star = union(call.star, flow.eval(argument.value).flat())
        elif call.star:
            call.star = union(call.star, flow.eval(argument).flat())
        else:
            call.args.append(flow.eval(argument))
    for keyword in node.keywords:
        value = flow.eval(keyword.value)
        if keyword.arg is None:
            call.star = union(call.star, value.flat())
            call.star_kwargs = True
        else:
            call.kwargs[keyword.arg] = value
    weaknesses.check(flow, call)
    _check_sinks(flow, call)
    if ref in urlpatterns.PATTERN_CALLS:
        urlpatterns.note(flow, call)
    return _result(flow, call)


# -- sinks ------------------------------------------------------------------------------------


def _check_sinks(flow, call: Call) -> None:
    spec = SINK_CALLS.get(call.ref) if call.ref else None
    if spec is None and call.method is not None:
        # By name alone, unless the object is an instance of one of the repository's classes
        # (a request handler's own methods, ``self.send_header``, are the framework's).
        owner = flow.ctx.repo_class_of(call.receiver.ref)
        if owner is None or handlers.handler_kind(flow.ctx, owner):
            spec = METHOD_SINKS.get(call.method)
        if call.receiver is not None and call.receiver.ref in SESSION_REFS and call.method in _SESSION_WRITES:
            flow.sink("trust-boundary", call.node, call.data(with_receiver=False), _what(call))
    if call.ref in TEMPLATE_RENDERERS:
        templates.check_render(flow, call, *TEMPLATE_RENDERERS[call.ref])
    if spec is None:
        if call.method in library.SINK_METHODS and call.receiver.ref:
            library.defer(flow, call, _what(call))
        return
    taint = _sink_taint(flow, call, spec)
    if taint:
        flow.sink(spec.rule, call.node, taint, _what(call))
    elif spec.special == "subprocess":
        options = _option_taint(call)
        if options:
            flow.sink("argument-injection", call.node, options, _what(call))


def _sink_taint(flow, call: Call, spec: Sink) -> Taint:
    special = spec.special
    if special == "subprocess":
        return _subprocess_taint(call)
    if special == "program":
        program = call.arg(spec.args[0], *spec.keywords)
        if program is None:
            return call.star
        return program.item(0).flat() if program.kind in ("list", "tuple") else program.flat()
    if special == "response":
        for name in ("mimetype", "content_type", "media_type"):
            declared = call.kwargs.get(name)
            if declared is not None and isinstance(declared.const, str) and "html" not in declared.const:
                return EMPTY
    if special == "yaml":
        loader = call.arg(1, "Loader")
        if loader is not None and _safe_loader(flow, loader.ref):
            return EMPTY
    if special == "numpy":
        allowed = call.kwargs.get("allow_pickle")
        if allowed is None or folding.truth(allowed.const) is not True:
            return EMPTY
    if special == "lxml":
        parser = call.arg(1, "parser")
        if parser is not None and parser.ref == "lxml.etree.XMLParser(safe)":
            return EMPTY
    parts = [call.star]
    for index in spec.args:
        if index < len(call.args):
            parts.append(call.args[index].flat())
    parts.extend(call.kwargs[name].flat() for name in spec.keywords if name in call.kwargs)
    if spec.receiver and call.receiver is not None:
        parts.append(call.receiver.flat())
    return union_all(parts)


def _safe_loader(flow, ref: str | None, depth: int = 0) -> bool:
    """A safe YAML loader, or a class of this module derived from one."""
    if not ref or depth > 8:
        return False
    if ref.rsplit(".", 1)[-1] in SAFE_YAML_LOADERS:
        return True
    bases = flow.ctx.summary.classes.get(ref, ())
    return any(_safe_loader(flow, base, depth + 1) for base in bases)


def _subprocess_taint(call: Call) -> Taint:
    command = call.arg(0, "args")
    if command is None:
        return call.star
    shell = call.kwargs.get("shell")
    # NOTE: a shell flag we cannot fold (``shell=use_shell``) counts as a shell.
    if shell is not None and folding.truth(shell.const) is not False:
        return union(command.flat(), call.star)
    if command.kind in ("list", "tuple"):
        program = command.item(0)
        if isinstance(program.const, str) and program.const.rsplit("/", 1)[-1] in SHELLS:
            return command.flat()  # ["sh", "-c", command]: a shell after all
        return program.flat()  # without a shell, only the program name is dangerous
    return command.taint if command.items is not None else command.flat()


def _option_taint(call: Call) -> Taint:
    """A fixed program run without a shell: the arguments that could be read as its options."""
    command = call.arg(0, "args")
    if command is None or command.kind not in ("list", "tuple") or command.items is None:
        return EMPTY
    parts = []
    for key in sorted(key for key in command.items if isinstance(key, int) and key > 0):
        item = command.items[key]
        if item.const == "--":
            return union_all(parts)  # what follows ``--`` is never an option
        parts.append(item.flat())
    # NOTE: elements whose position is unknown (``[*args]``, ``append``) may follow a ``--``: left out.
    return union_all(parts)


def _what(call: Call) -> str:
    text = ast.unparse(call.node.func)
    return (text if len(text) <= 60 else display(call.ref or call.method or "call")) + "()"


# -- results ----------------------------------------------------------------------------------


def _result(flow, call: Call) -> Value:
    ref = call.ref
    if ref is not None:
        known = _known_result(flow, call, ref)
        if known is not None:
            return known
        if call.method is not None and call.receiver is not None:
            owner = flow.ctx.repo_class_of(call.receiver.ref)
            special = handlers.self_method_source(flow.ctx, owner, call.method, call.node) if owner else None
            if special is not None:
                return special
        target = flow.ctx.repo_target(ref)
        if target is not None:
            result = flow.call_site(call, *target)
            structure.after_repo_call(flow, call, *target)
            library = structure.library_result(flow, target[0])
            return Value(result.taint, ref=library) if library else result
    if call.method is not None:
        return _method_result(flow, call)
    return Value(cleanse(call.data(), _ASSUMED))


def _known_result(flow, call: Call, ref: str) -> Value | None:
    if ref == "builtins.super" and not call.args:
        return structure.super_value(flow)
    if ref in SSRF_CALLS and ref not in SOURCE_CALLS:
        return Value(ref=RESULT_REFS.get(ref))  # the server's reply: not what the URL held
    if ref == "builtins.getattr" and len(call.args) >= 2 and isinstance(call.args[1].const, str):
        return flow.attribute_of(call.args[0], call.args[1].const, call.node)
    kind = SOURCE_CALLS.get(ref)
    if kind is not None:
        path = call.arg(0, "file") if ref in FILE_OPENERS else None
        constant_path = path is not None and isinstance(path.const, str)
        taint = EMPTY if constant_path else flow.ctx.source(kind, call.node, display(ref) + "()")
        return Value(taint, ref=RESULT_REFS.get(ref))
    kinds = sanitizer(ref)
    if kinds is not None:
        return Value() if kinds is ALL_KINDS else Value(cleanse(call.data(), kinds), kind="str")
    if ref in NORMALIZERS:
        path_object = ref.startswith("pathlib.")
        return Value(cleanse(call.data(), _NORM), ref="pathlib.Path()" if path_object else None, kind="str")
    result_ref = RESULT_REFS.get(ref)
    if result_ref is not None:
        return _object(call, ref, result_ref)
    if ref in PROPAGATORS:
        return Value(call.data(), kind="str")
    return None


def _object(call: Call, ref: str, result_ref: str) -> Value:
    if ref == "socket.socket().accept":
        return Value(items={0: Value(ref=result_ref), 1: Value()}, kind="tuple")
    if ref == "lxml.etree.XMLParser":
        entities = call.kwargs.get("resolve_entities")
        if entities is not None and folding.truth(entities.const) is False:
            result_ref = "lxml.etree.XMLParser(safe)"
        return Value(ref=result_ref)
    return Value(call.data(), ref=result_ref)


def _method_result(flow, call: Call) -> Value:
    method = call.method
    receiver = call.receiver
    if method in NON_DATA_METHODS:
        return Value()
    if method == "get" and _numeric(call.kwargs.get("type")):
        return Value()  # request.args.get("n", type=int): Werkzeug converts, or returns the default
    if method in MUTATORS and isinstance(call.node.func.value, ast.Name):
        _mutate(flow, call.node.func.value.id, receiver, call)
        return Value()
    if method in ("get", "pop") and receiver.items is not None and call.args:
        key = call.args[0].const
        default = call.args[1] if len(call.args) > 1 else None
        if known_key(key) and key in receiver.items:
            return join(receiver.item(key), default)
        if receiver.kind == "dict" and not receiver.taint:
            # A lookup by an unknown key returns one of the table's values, never the key.
            result = default
            for item in receiver.items.values():
                result = join(result, item)
            return result or Value()
    data = union(receiver.flat(), call.data(with_receiver=False))
    if method == "replace" and call.args and call.args[0].const in _LINE_BREAKS:
        data = cleanse(data, _HEADER_SAFE)  # CR and LF taken out: no header can be injected
    elif method == "format" and isinstance(receiver.const, str):
        from reviewers.security.expressions import fixed_start  # expressions.py imports this module

        data = cleanse(fixed_start(call.data(with_receiver=False), receiver.const), frozenset({FORMATTED}))
    if method in REQUEST_DATA_METHODS:
        data = cleanse(data, _REQUEST_DATA)  # ``req.get_json()``: input, if ``req`` is a request
    elif method not in DATA_METHODS and receiver.kind != "str":
        data = cleanse(data, _ASSUMED)
    if receiver.ref == "pathlib.Path()" and method in _PATH_METHODS:
        return Value(data, ref=receiver.ref)
    return Value(data, kind="str" if receiver.kind == "str" else None)


def _mutate(flow, name: str, receiver: Value, call: Call) -> None:
    """``items.append(x)``: ``items`` now holds ``x``, after its known elements."""
    added = call.data(with_receiver=False)
    if receiver.items is not None and receiver.kind in ("list", "tuple") and call.method in ("append", "extend"):
        rest = receiver.items.get(REST)
        items = dict(receiver.items)
        items[REST] = Value(union(rest.taint if rest else EMPTY, added))
        flow.env[name] = Value(receiver.taint, items, NOCONST, receiver.ref, receiver.kind)
    else:
        flow.env[name] = Value(union(receiver.taint, added), receiver.items, NOCONST, receiver.ref, receiver.kind)


def _numeric(value: Value | None) -> bool:
    return value is not None and value.ref in ("builtins.int", "builtins.float", "builtins.bool")

