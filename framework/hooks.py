"""Calling hooks: through pluggy, each implementation guarded, and what each call did.

pluggy orders the implementations (``tryfirst``, ``trylast``, hook wrappers) and calls them. It
stops a call at the first one that raises, so each is registered guarded (``guarded``): one that
raises is reported by name (in the ``HookCall``) and returns nothing, and the others still run.
$CODEPANEL_STRICT_PLUGINS turns such a failure into a ``PluginError``.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pluggy

from framework import environment, hookspecs
from framework.errors import PluginError, describe

# How a failing implementation of a hook is reported; other hooks use the default.
FAILURE_MESSAGES = {"aggregate_findings": "aggregator {plugin!r} failed: {error}"}
DEFAULT_FAILURE = "plugin {plugin!r} failed in {hook}: {error}"



@dataclass
class HookCall:
    """What one hook call did: the plugins whose implementation ran through, and what failed."""

    ran: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# The hook call in progress, and the plugin whose implementation is running (for register()).
_CALL: contextvars.ContextVar[HookCall | None] = contextvars.ContextVar("codepanel_hook_call", default=None)
_PLUGIN: contextvars.ContextVar[str] = contextvars.ContextVar("codepanel_plugin", default="?")



def new_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager("codepanel")
    manager.add_hookspecs(hookspecs)
    return manager


def call(manager: pluggy.PluginManager, hook: str, **arguments: Any) -> HookCall:
    """Call ``hook`` through pluggy; returns which plugins ran and which failed."""
    result = HookCall()
    token = _CALL.set(result)
    try:
        getattr(manager.hook, hook)(**arguments)
    finally:
        _CALL.reset(token)
    return result


def current_plugin() -> str:
    """The plugin whose implementation is running (for callbacks such as ``register``)."""
    return _PLUGIN.get()


def hook_names() -> list[str]:
    """Every hook a plugin may implement."""
    return sorted(name for name in dir(hookspecs) if hasattr(getattr(hookspecs, name), "codepanel_spec"))


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
