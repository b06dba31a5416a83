"""Finding and loading plugins: the ``reviewers`` package, a plugins directory, entry points.

Each plugin is registered with its hook implementations guarded (``framework.hooks``), and every
reviewer class it registers is checked. A plugin that fails to import, whose hook raises, or that
implements a hook no spec declares (a misspelt ``register_reviewer``, found with pluggy's
``check_pending``) is a problem that names it; the others still load. $CODEPANEL_STRICT_PLUGINS
turns every such problem into a ``PluginError`` (for plugin authors).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import pkgutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from framework import environment, hooks
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
    # Plugin name -> where it came from ("built-in", "project", "plugins-dir DIR", "entry-point DIST").
    origins: dict[str, str] = field(default_factory=dict)
    modules: set[str] = field(default_factory=set)
    sources: PluginSources = field(default_factory=lambda: PluginSources())

    def get(self, name: str) -> RegisteredReviewer:
        try:
            return self.reviewers[name]
        except KeyError:
            hint = f" (plugins that failed to load: {'; '.join(self.problems)})" if self.problems else ""
            raise PluginError(
                f"no plugin registers a reviewer named {name!r}; registered: "
                f"{', '.join(sorted(self.reviewers)) or 'none'}{hint}"
            ) from None

    def call(self, hook: str, **arguments: Any) -> hooks.HookCall:
        """Call ``hook`` through pluggy, each implementation guarded; which plugins ran and which failed."""
        return hooks.call(self.manager, hook, **arguments)


@dataclass(frozen=True)
class PluginSources:
    """Where a panel's plugins come from, besides the built-ins and the entry points.

    ``project`` is the project's ``reviewers/`` folder (origin ``project``); ``folders`` are
    ``cloud.plugins_dir`` and ``--plugins-dir`` (origin ``plugins-dir DIR``). Reviewer processes
    and the cloud functions get the same through their environment.
    """

    project: Path | None = None
    folders: tuple[Path, ...] = ()

    @classmethod
    def of(cls, value: PluginSources | str | os.PathLike[str] | None) -> PluginSources:
        """``value`` itself, a single plugins folder, or (None) what this process's environment names."""
        if isinstance(value, PluginSources):
            return value
        if value is not None:
            return cls(folders=(Path(value),))
        project = environment.project_plugins()
        return cls(Path(project) if project else None, tuple(Path(folder) for folder in environment.plugins_dirs()))

    def to_json(self) -> dict[str, object]:
        return {"project": str(self.project.resolve()) if self.project else None,
                "folders": [str(folder.resolve()) for folder in self.folders]}  # fmt: skip

    @classmethod
    def from_json(cls, data: object) -> PluginSources:
        if not isinstance(data, dict):
            return cls()
        project, folders = data.get("project"), data.get("folders") or []
        return cls(Path(project) if isinstance(project, str) else None,
                   tuple(Path(folder) for folder in folders if isinstance(folder, str)))  # fmt: skip

    def environment(self) -> dict[str, str]:
        """The environment variables that name these sources to another process."""
        variables = {}
        if self.project is not None:
            variables[environment.PROJECT_PLUGINS] = str(self.project.resolve())
        if self.folders:
            variables[environment.PLUGINS_DIR] = os.pathsep.join(str(folder.resolve()) for folder in self.folders)
        return variables

    def describe(self) -> str:
        """Where plugins are looked for, for error messages."""
        places = ["the built-in reviewers package"]
        if self.project is not None:
            places.append(f"{self.project} (the project)")
        places += [str(folder) for folder in self.folders]
        return ", ".join([*places, f"entry points (group {ENTRY_POINT_GROUP!r})"])


def load(sources: PluginSources | str | os.PathLike[str] | None = None, entry_points: bool = True) -> Plugins:
    """Load every plugin and collect the reviewers they register."""
    sources = PluginSources.of(sources)
    plugins = Plugins(manager=hooks.new_manager(), sources=sources)
    for module_name in builtin_modules():
        _register(plugins, module_name, lambda m=module_name: importlib.import_module(m), "built-in")
    if sources.project is not None and not _is_builtin_package(sources.project):
        _load_folder(plugins, sources.project, "project", "codepanel_project")
    for directory in sources.folders:
        _load_folder(plugins, directory, f"plugins-dir {directory}", "codepanel_plugins")
    if entry_points:
        for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            dist = entry_point.dist.name if entry_point.dist else "?"
            _register(plugins, entry_point.name, entry_point.load, f"entry-point {dist}")
    _drop_unknown_hooks(plugins)
    registered: list[tuple[str, Any]] = []
    call = plugins.call("register_reviewers", register=lambda cls: registered.append((hooks.current_plugin(), cls)))
    for problem in call.problems:
        _problem(plugins, problem)
    # NOTE: pluggy calls the last registered plugin first; reviewers are added in load order
    # (built-ins first), so that the first to claim a name is the one a clash names first.
    order = {name: index for index, name in enumerate(plugins.origins)}
    for plugin_name, cls in sorted(registered, key=lambda item: order.get(item[0], len(order))):
        _add(plugins, plugin_name, cls)
    return plugins


_SHARED: dict[tuple[Any, ...], Plugins] = {}


def shared(sources: PluginSources | str | os.PathLike[str] | None = None) -> Plugins:
    """This process's one load of the plugins: loaded again only when a plugin file changes."""
    sources = PluginSources.of(sources)
    folders = [sources.project, *sources.folders]
    key = (environment.strict_plugins(), sources, *(_folder_state(folder) for folder in folders))
    if key not in _SHARED:
        _SHARED[key] = load(sources)
    return _SHARED[key]


def _folder_state(directory: Path | None) -> tuple[Any, ...]:
    if directory is None:
        return (None,)
    try:
        entries = sorted((path.name, path.stat().st_mtime_ns) for path in directory.resolve().iterdir())
    except OSError:
        entries = []
    return (str(directory), tuple(entries))


def _is_builtin_package(directory: Path) -> bool:
    """Whether ``directory`` is the built-in ``reviewers`` package itself (a project that is a codepanel checkout)."""
    package = importlib.import_module(BUILTIN_PACKAGE)
    return any(Path(location).resolve() == directory.resolve() for location in package.__path__)


def _load_folder(plugins: Plugins, directory: Path, origin: str, namespace: str) -> None:
    if not directory.is_dir():
        raise PluginError(f"plugins directory {str(directory)!r} does not exist")
    for path in sorted(directory.iterdir()):
        if _is_plugin_file(path):
            _register(plugins, path.stem, lambda p=path: _import_file(p, namespace), origin)


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


def _import_file(path: Path, namespace: str) -> ModuleType:
    module_name = f"{namespace}.{path.stem}"
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
        _problem(plugins, f"plugin {name!r} ({origin}) is skipped: a plugin of that name came from {plugins.origins[name]}")
        return
    try:
        module = loader()
        if getattr(module, "__name__", None) in plugins.modules:
            return
        plugins.manager.register(hooks.guarded(plugins.manager, module, name), name=name)
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
                f"the hooks are {', '.join(hooks.hook_names())}",
            )


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


