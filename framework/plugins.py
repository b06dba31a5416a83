"""Finding and loading plugins: the ``reviewers`` package, a plugins directory, entry points.

Hooks are called through pluggy (``Plugins.call``), so ``tryfirst``/``trylast`` order and hook
wrappers work as pluggy documents them. Two things are added around it:

- a hook implementation whose name no hook declares (a misspelt ``register_reviewer``) is a
  problem that names the plugin and the hook, found with pluggy's ``check_pending``;
- each implementation runs guarded: one that raises is reported by name and returns nothing, and
  the other plugins' implementations still run.

A plugin that fails to import is reported and skipped too. $CODEPANEL_STRICT_PLUGINS turns every
such problem into a ``PluginError`` (for plugin authors).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import importlib
import importlib.metadata
import importlib.util
import os
import pkgutil
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from framework import environment, hookspecs
from framework.errors import PluginError, describe
from framework.reviewer import Reviewer

ENTRY_POINT_GROUP = "codepanel"
BUILTIN_PACKAGE = "reviewers"
# Built-in aggregators load like built-in reviewers, in this order (llm's DEFAULT_PLUGINS).
BUILTIN_AGGREGATORS = (
    "framework.aggregators.dedupe",
    "framework.aggregators.scoring",
    "framework.aggregators.executive_summary",
)
# How a failing implementation of a hook is reported; other hooks use the default.
FAILURE_MESSAGES = {"aggregate_findings": "aggregator {plugin!r} failed: {error}"}
DEFAULT_FAILURE = "plugin {plugin!r} failed in {hook}: {error}"


@dataclass(frozen=True)
class RegisteredReviewer:
    name: str
    cls: type[Reviewer]
    plugin: str
    origin: str

    @property
    def description(self) -> str:
        return self.cls.description


@dataclass
class HookCall:
    """What one hook call did: the plugins whose implementation ran through, and what failed."""

    ran: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# The hook call in progress, and the plugin whose implementation is running (for register()).
_CALL: contextvars.ContextVar[HookCall | None] = contextvars.ContextVar("codepanel_hook_call", default=None)
_PLUGIN: contextvars.ContextVar[str] = contextvars.ContextVar("codepanel_plugin", default="?")


@dataclass
class Plugins:
    """The loaded plugins, the reviewer classes they registered, and what failed to load."""

    manager: pluggy.PluginManager
    reviewers: dict[str, RegisteredReviewer] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    # Plugin name -> where it came from ("built-in", "plugins-dir DIR", "entry-point DIST").
    origins: dict[str, str] = field(default_factory=dict)
    modules: set[str] = field(default_factory=set)

    def get(self, name: str) -> RegisteredReviewer:
        try:
            return self.reviewers[name]
        except KeyError:
            hint = f" (plugins that failed to load: {'; '.join(self.problems)})" if self.problems else ""
            raise PluginError(
                f"no plugin registers a reviewer named {name!r}; registered: "
                f"{', '.join(sorted(self.reviewers)) or 'none'}{hint}"
            ) from None

    def call(self, hook: str, **arguments: Any) -> HookCall:
        """Call ``hook`` through pluggy; returns which plugins ran and which failed."""
        call = HookCall()
        token = _CALL.set(call)
        try:
            getattr(self.manager.hook, hook)(**arguments)
        finally:
            _CALL.reset(token)
        return call


def new_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager("codepanel")
    manager.add_hookspecs(hookspecs)
    return manager


def load(plugins_dir: str | os.PathLike[str] | None = None, entry_points: bool = True) -> Plugins:
    """Load every plugin and collect the reviewers they register."""
    plugins = Plugins(manager=new_manager())
    for module_name in builtin_modules():
        _register(plugins, module_name, lambda m=module_name: importlib.import_module(m), "built-in")
    plugins_dir = plugins_dir or environment.plugins_dir()
    if plugins_dir:
        directory = Path(plugins_dir)
        if not directory.is_dir():
            raise PluginError(f"plugins directory {str(directory)!r} does not exist")
        for path in sorted(directory.iterdir()):
            if _is_plugin_file(path):
                _register(plugins, path.stem, lambda p=path: _import_file(p), f"plugins-dir {directory}")
    if entry_points:
        for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            dist = entry_point.dist.name if entry_point.dist else "?"
            _register(plugins, entry_point.name, entry_point.load, f"entry-point {dist}")
    _drop_unknown_hooks(plugins)
    registered: list[tuple[str, Any]] = []
    call = plugins.call("register_reviewers", register=lambda cls: registered.append((_PLUGIN.get(), cls)))
    for problem in call.problems:
        _problem(plugins, problem)
    # NOTE: pluggy calls the last registered plugin first; reviewers are added in load order
    # (built-ins first), so that the first to claim a name is the one a clash names first.
    order = {name: index for index, name in enumerate(plugins.origins)}
    for plugin_name, cls in sorted(registered, key=lambda item: order.get(item[0], len(order))):
        _add(plugins, plugin_name, cls)
    return plugins


_SHARED: dict[tuple[Any, ...], Plugins] = {}


def shared(plugins_dir: str | os.PathLike[str] | None = None) -> Plugins:
    """This process's one load of the plugins: loaded again only when a plugin file changes."""
    plugins_dir = plugins_dir or environment.plugins_dir()
    key = (environment.strict_plugins(), *_folder_state(plugins_dir))
    if key not in _SHARED:
        _SHARED[key] = load(plugins_dir)
    return _SHARED[key]


def _folder_state(plugins_dir: str | os.PathLike[str] | None) -> tuple[Any, ...]:
    if not plugins_dir:
        return (None,)
    directory = Path(plugins_dir).resolve()
    try:
        entries = sorted((path.name, path.stat().st_mtime_ns) for path in directory.iterdir())
    except OSError:
        entries = []
    return (str(directory), tuple(entries))


def builtin_modules() -> list[str]:
    """Every public module of the ``reviewers`` package (dropping a module in adds a plugin),
    then the built-in aggregators."""
    package = importlib.import_module(BUILTIN_PACKAGE)
    modules = [
        f"{BUILTIN_PACKAGE}.{info.name}"
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    ]
    return [*modules, *BUILTIN_AGGREGATORS]


def _is_plugin_file(path: Path) -> bool:
    if path.name.startswith(("_", ".")):
        return False
    return (path.suffix == ".py" and path.is_file()) or (path / "__init__.py").is_file()


def _import_file(path: Path) -> ModuleType:
    module_name = f"codepanel_plugins.{path.stem}"
    location = path / "__init__.py" if path.is_dir() else path
    spec = importlib.util.spec_from_file_location(
        module_name, location, submodule_search_locations=[str(path)] if path.is_dir() else None
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def _register(plugins: Plugins, name: str, loader: Callable[[], Any], origin: str) -> None:
    if name in plugins.origins:
        return  # the same module through two ways in (an entry point to a built-in, say)
    try:
        module = loader()
        if getattr(module, "__name__", None) in plugins.modules:
            return
        plugins.manager.register(guarded(plugins.manager, module, name), name=name)
    except Exception as error:  # noqa: BLE001 - one broken plugin must not break the others
        _problem(plugins, f"plugin {name!r} ({origin}) failed to load: {describe(error)}")
        return
    plugins.origins[name] = origin
    plugins.modules.add(getattr(module, "__name__", name))


def _drop_unknown_hooks(plugins: Plugins) -> None:
    """Unregister each plugin that implements a hook no spec declares, naming the plugin and the hook."""
    while True:
        try:
            plugins.manager.check_pending()
            return
        except pluggy.PluginValidationError as error:
            name = plugins.manager.get_name(error.plugin) or "?"
            callers = plugins.manager.get_hookcallers(error.plugin) or []
            unknown = sorted(caller.name for caller in callers if not caller.has_spec())
            plugins.manager.unregister(error.plugin)
            origin = plugins.origins.pop(name, "unknown")
            _problem(
                plugins,
                f"plugin {name!r} ({origin}) implements unknown hook {', '.join(map(repr, unknown))}; "
                f"the hooks are {', '.join(hook_names())}",
            )


def hook_names() -> list[str]:
    """Every hook a plugin may implement."""
    return sorted(name for name in dir(hookspecs) if hasattr(getattr(hookspecs, name), "codepanel_spec"))


def _problem(plugins: Plugins, message: str) -> None:
    message = " ".join(message.split())
    if environment.strict_plugins():
        raise PluginError(message)
    plugins.problems.append(message)


def _add(plugins: Plugins, plugin_name: str, cls: type[Reviewer]) -> None:
    """A reviewer class that ``plugin_name`` registered, checked."""
    origin = plugins.origins.get(plugin_name, "unknown")
    if isinstance(cls, Reviewer):
        cls = type(cls)
    if not (isinstance(cls, type) and issubclass(cls, Reviewer)):
        _problem(plugins, f"plugin {plugin_name!r} registered {cls!r}, which is not a Reviewer subclass")
        return
    name = cls.name
    if not name:
        _problem(plugins, f"plugin {plugin_name!r} registered {cls.__name__} without a name")
        return
    existing = plugins.reviewers.get(name)
    if existing is not None:
        raise PluginError(
            f"reviewer {name!r} is registered twice: by plugin {existing.plugin!r} "
            f"({existing.origin}) and by plugin {plugin_name!r} ({origin})"
        )
    plugins.reviewers[name] = RegisteredReviewer(name, cls, plugin_name, origin)


def guarded(manager: pluggy.PluginManager, plugin: Any, name: str) -> types.SimpleNamespace:
    """A stand-in for ``plugin`` whose hook implementations are guarded, with the same hook options.

    NOTE: pluggy stops a hook call at the first implementation that raises. Guarding each one
    keeps the others running while pluggy still orders and calls them, wrappers included.
    """
    stand_in = types.SimpleNamespace(__name__=getattr(plugin, "__name__", name), __file__=getattr(plugin, "__file__", None))
    for attribute in dir(plugin):
        options = manager.parse_hookimpl_opts(plugin, attribute)
        if options is None:
            continue
        function = getattr(plugin, attribute)
        hook = options.get("specname") or attribute
        wrapper = options.get("wrapper") or options.get("hookwrapper")
        guard = _guard_wrapper if wrapper else _guard
        setattr(stand_in, attribute, hookspecs.hookimpl(**options)(guard(function, name, hook)))
    return stand_in


def _failed(plugin: str, hook: str, error: BaseException | str) -> None:
    text = error if isinstance(error, str) else describe(error)
    message = FAILURE_MESSAGES.get(hook, DEFAULT_FAILURE).format(plugin=plugin, hook=hook, error=text)
    if environment.strict_plugins():
        raise PluginError(message) from error if isinstance(error, BaseException) else None
    if (call := _CALL.get()) is not None:
        call.problems.append(message[:500])


def _ran(plugin: str) -> None:
    if (call := _CALL.get()) is not None:
        call.ran.append(plugin)


@contextlib.contextmanager
def _running(plugin: str) -> Iterator[None]:
    token = _PLUGIN.set(plugin)
    try:
        yield
    finally:
        _PLUGIN.reset(token)


def _guard(function: Callable[..., Any], plugin: str, hook: str) -> Callable[..., Any]:
    @functools.wraps(function)
    def call(*args: Any) -> Any:
        try:
            with _running(plugin):
                result = function(*args)
        except PluginError:
            raise  # a verdict on the plugins as a whole (a name registered twice), not on this one
        except Exception as error:  # noqa: BLE001 - reported; the other plugins go on
            _failed(plugin, hook, error)
            return None
        _ran(plugin)
        return result

    return call


def _guard_wrapper(function: Callable[..., Any], plugin: str, hook: str) -> Callable[..., Any]:
    """A hook wrapper, guarded: it runs around the others, and its failure stops only itself."""

    @functools.wraps(function)
    def call(*args: Any) -> Any:
        try:
            with _running(plugin):
                generator = function(*args)
                next(generator)  # the wrapper's code before its ``yield``
        except Exception as error:  # noqa: BLE001 - failed before its yield: the others run without it
            _failed(plugin, hook, error if not isinstance(error, StopIteration) else "the wrapper did not yield")
            return (yield)
        try:
            result = yield
        except BaseException as inner:  # an unguarded error from inside: the wrapper sees it, as in pluggy
            with _running(plugin):
                try:
                    generator.throw(inner)
                except StopIteration as done:
                    _ran(plugin)
                    return done.value
            raise
        try:
            with _running(plugin):
                generator.send(result)
        except StopIteration as done:
            _ran(plugin)
            return done.value
        except Exception as error:  # noqa: BLE001 - failed after its yield: keep what the others gave
            _failed(plugin, hook, error)
            return result
        _failed(plugin, hook, "the wrapper yielded more than once")
        return result

    return call
