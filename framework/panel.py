"""The panel: a project's reviewers.yaml checked against the plugins that are loaded.

Loading a panel finds the project (``framework.config.project``), parses its config once and
loads its plugins once (``plugins.shared``): the built-ins, the project's ``reviewers/`` folder,
``cloud.plugins_dir``, ``--plugins-dir`` and the entry points, the same set the reviewer
processes and the cloud functions load. Every declared reviewer must name a registered plugin,
and its ``settings`` must fit that reviewer's ``Settings`` model. Both mistakes are one-line
errors naming the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framework import config as config_module
from framework import plugins as plugin_loader
from framework.errors import ConfigError
from framework.reviewer import Reviewer, ReviewerSettings


@dataclass
class Panel:
    config: config_module.Config
    config_text: str
    project: config_module.Project
    plugins: plugin_loader.Plugins

    @classmethod
    def load(cls, config_path: str | None = None, plugins_dir: str | None = None) -> Panel:
        """The panel of ``config_path`` (else the nearest project's); ``plugins_dir`` adds a folder of plugins."""
        project = config_module.Project.find(config_path)
        text = config_module.read_text(project.config_file)
        config = config_module.parse(text, str(project.config_file))
        folders = [project.resolve(config.cloud.plugins_dir)] if config.cloud.plugins_dir else []
        folders += [Path(plugins_dir)] if plugins_dir else []
        sources = plugin_loader.PluginSources(project.plugins_folder, tuple(folders))
        panel = cls(config, text, project, plugin_loader.shared(sources))
        panel.check()
        return panel

    @property
    def config_path(self) -> Path:
        return self.project.config_file

    @property
    def sources(self) -> plugin_loader.PluginSources:
        return self.plugins.sources

    def check(self) -> None:
        """Every declared reviewer names a registered plugin, and its settings fit that plugin's model.

        When some plugin failed to load, a reviewer whose plugin is missing is left to fail on
        its own at review time (and the others still run); otherwise it is a configuration error.
        """
        for name, entry in self.config.reviewers.items():
            plugin = entry.plugin or name
            registered = self.plugins.reviewers.get(plugin)
            if registered is None:
                if self.plugins.problems:
                    continue
                raise ConfigError(
                    f"{self.config_path}: reviewers.{name}.plugin: unknown plugin {plugin!r}; "
                    f"registered plugins: {', '.join(sorted(self.plugins.reviewers)) or 'none'}; "
                    f"plugins were looked for in {self.sources.describe()}"
                )
            check_settings(registered.cls, name, entry.settings, str(self.config_path))

    def select(self, names: list[str] | None, model: str | None = None) -> list[config_module.ReviewerConfig]:
        """The reviewers a run of ``names`` (every enabled one when None) runs, with ``--model`` applied."""
        return self.config.with_model(model).select(names)

    def rows(self) -> list[dict[str, object]]:
        """One row per declared reviewer, then one per registered plugin that none declares."""
        rows = []
        declared = set()
        for entry in self.config.all_resolved():
            registered = self.plugins.reviewers.get(entry.plugin)
            declared.add(entry.plugin)
            rows.append({
                "name": entry.name,
                "description": entry.description or (registered.description if registered else ""),
                "plugin": entry.plugin,
                "origin": registered.origin if registered else "missing",
                "enabled": entry.enabled,
                "model": entry.model.label(),
            })  # fmt: skip
        for name, registered in sorted(self.plugins.reviewers.items()):
            if name not in declared:
                rows.append({
                    "name": name, "description": registered.description, "plugin": name,
                    "origin": registered.origin, "enabled": False, "model": "-",
                    "note": "registered but not declared in reviewers.yaml",
                })  # fmt: skip
        return rows


def check_settings(reviewer: type[Reviewer], name: str, settings: dict[str, Any], origin: str) -> ReviewerSettings:
    """``settings`` validated against the reviewer class's ``Settings``, or a one-line ConfigError."""
    return reviewer.settings_from(settings, f"{origin}: reviewers.{name}.settings")
