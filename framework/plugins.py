"""Finding and loading reviewer plugins: the ``reviewers`` package, a plugins directory, entry points.

Each external plugin loads inside its own try/except: a broken one is reported by name and
skipped, unless $CODEPANEL_STRICT_PLUGINS is set, which makes it fatal (for plugin authors).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import pkgutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pluggy

from framework import environment, hookspecs
from framework.errors import PluginError
from framework.reviewer import Reviewer

ENTRY_POINT_GROUP = "codepanel"
BUILTIN_PACKAGE = "reviewers"
# Built-in aggregators load like built-in reviewers, in this order (llm's DEFAULT_PLUGINS).
BUILTIN_AGGREGATORS = (
    "framework.aggregators.dedupe",
    "framework.aggregators.scoring",
    "framework.aggregators.executive_summary",
)


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
class Plugins:
    """The loaded plugins, the reviewer classes they registered, and what failed to load."""

    manager: pluggy.PluginManager
    reviewers: dict[str, RegisteredReviewer] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def get(self, name: str) -> RegisteredReviewer:
        try:
            return self.reviewers[name]
        except KeyError:
            hint = f" (plugins that failed to load: {'; '.join(self.problems)})" if self.problems else ""
            raise PluginError(
                f"no plugin registers a reviewer named {name!r}; registered: "
                f"{', '.join(sorted(self.reviewers)) or 'none'}{hint}"
            ) from None


def strict() -> bool:
    return environment.strict_plugins()


def new_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager("codepanel")
    manager.add_hookspecs(hookspecs)
    return manager


def load(plugins_dir: str | os.PathLike[str] | None = None, entry_points: bool = True) -> Plugins:
    """Load every plugin and collect the reviewers they register."""
    plugins = Plugins(manager=new_manager())
    origins: dict[str, str] = {}
    for module_name in builtin_modules():
        _guarded(plugins, module_name, lambda m=module_name: importlib.import_module(m), origins, "built-in")
    plugins_dir = plugins_dir or environment.plugins_dir()
    if plugins_dir:
        directory = Path(plugins_dir)
        if not directory.is_dir():
            raise PluginError(f"plugins directory {str(directory)!r} does not exist")
        for path in sorted(directory.iterdir()):
            if _is_plugin_file(path):
                _guarded(plugins, path.stem, lambda p=path: _import_file(p), origins, f"plugins-dir {directory}")
    if entry_points:
        for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            dist = entry_point.dist.name if entry_point.dist else "?"
            _guarded(plugins, entry_point.name, entry_point.load, origins, f"entry-point {dist}")
    _collect(plugins, origins)
    return plugins


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


def _guarded(plugins: Plugins, name: str, loader, origins: dict[str, str], origin: str) -> None:
    try:
        module = loader()
        if plugins.manager.is_registered(module):
            return
        plugins.manager.register(module, name=name)
        origins[name] = origin
    except Exception as error:  # noqa: BLE001 - one broken plugin must not break the others
        _problem(plugins, f"plugin {name!r} ({origin}) failed to load: {type(error).__name__}: {error}")


def _problem(plugins: Plugins, message: str) -> None:
    message = " ".join(message.split())
    if strict():
        raise PluginError(message)
    plugins.problems.append(message)


def _collect(plugins: Plugins, origins: dict[str, str]) -> None:
    # NOTE: each implementation is called on its own (through pluggy's public HookImpl), so we
    # know which plugin registered which reviewer, and one raising hook skips only its plugin.
    for impl in plugins.manager.hook.register_reviewers.get_hookimpls():
        plugin_name = impl.plugin_name
        origin = origins.get(plugin_name, "unknown")
        found: list[type[Reviewer]] = []
        try:
            impl.function(register=found.append)
        except Exception as error:  # noqa: BLE001
            _problem(plugins, f"plugin {plugin_name!r} failed in register_reviewers: {error}")
            continue
        for cls in found:
            _add(plugins, cls, plugin_name, origin)


def _add(plugins: Plugins, cls: type[Reviewer], plugin_name: str, origin: str) -> None:
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
