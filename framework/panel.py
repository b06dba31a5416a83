"""The panel: a reviewers.yaml checked against the plugins that are loaded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from framework import config as config_module
from framework import plugins as plugin_loader
from framework.errors import ConfigError


@dataclass
class Panel:
    config: config_module.Config
    config_text: str
    config_path: Path
    plugins: plugin_loader.Plugins

    @classmethod
    def load(cls, config_path: str | None = None, plugins_dir: str | None = None) -> Panel:
        path = config_module.find_config_file(config_path)
        config = config_module.load(path)
        panel = cls(config, path.read_text(encoding="utf-8"), path, plugin_loader.load(plugins_dir))
        panel.check()
        return panel

    def check(self) -> None:
        """Every declared reviewer must name a registered plugin.

        When some plugin failed to load, a reviewer whose plugin is missing is left to fail on
        its own at review time (and the others still run); otherwise it is a configuration error.
        """
        if self.plugins.problems:
            return
        for name, entry in self.config.reviewers.items():
            plugin = entry.plugin or name
            if plugin not in self.plugins.reviewers:
                raise ConfigError(
                    f"{self.config_path}: reviewers.{name}.plugin: unknown plugin {plugin!r}; "
                    f"registered plugins: {', '.join(sorted(self.plugins.reviewers)) or 'none'}"
                )

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
