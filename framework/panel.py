"""The panel: a reviewers.yaml checked against the plugins that are loaded.

Loading a panel parses the config once and loads the plugins once (``plugins.shared``); every
declared reviewer must name a registered plugin, and its ``settings`` must fit that reviewer's
``Settings`` model. Both mistakes are one-line errors naming the file and the key.
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
    config_path: Path
    plugins: plugin_loader.Plugins

    @classmethod
    def load(cls, config_path: str | None = None, plugins_dir: str | None = None) -> Panel:
        path = config_module.find_config_file(config_path)
        text = config_module.read_text(path)
        panel = cls(config_module.parse(text, str(path)), text, path, plugin_loader.shared(plugins_dir))
        panel.check()
        return panel

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
                    f"registered plugins: {', '.join(sorted(self.plugins.reviewers)) or 'none'}"
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
