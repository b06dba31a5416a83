"""The panel project: the folder whose reviewers.yaml defines the panel, and what lives beside it.

A project is found as ruff and pytest find their configuration: ``--config``, else
$CODEPANEL_CONFIG, else the nearest ``reviewers.yaml`` walking up from the current folder. Its
``reviewers/`` folder holds the project's own plugins, and ``codepanel generate`` writes the
template beside the config. With no project around, the packaged reviewers.yaml reviews with the
built-in reviewers, and commands that write into a project ask for ``codepanel init``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from framework import environment
from framework.errors import ConfigError

CONFIG_FILENAME = "reviewers.yaml"
PLUGINS_FOLDER = "reviewers"
TEMPLATE_FILENAME = "template.yaml"
# Where `codepanel generate` and `deploy` assemble the functions' image (see framework.cloud.image).
BUILD_FOLDER = ".codepanel-image"


@dataclass(frozen=True)
class Project:
    config_file: Path
    # None when the config is the packaged default: there is no project to write into.
    root: Path | None

    @classmethod
    def find(cls, explicit: str | os.PathLike[str] | None = None, start: Path | None = None) -> Project:
        if explicit or (explicit := environment.config_file()):
            path = Path(explicit)
            return cls(path, path.resolve().parent)
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            candidate = folder / CONFIG_FILENAME
            if candidate.is_file():
                return cls(candidate, folder)
        return cls(packaged_file(CONFIG_FILENAME), None)

    @property
    def plugins_folder(self) -> Path | None:
        """The project's ``reviewers/`` folder, when it has one."""
        if self.root is None or not (self.root / PLUGINS_FOLDER).is_dir():
            return None
        return self.root / PLUGINS_FOLDER

    def require(self, command: str) -> Path:
        """The project's folder, or a one-line error for a command that writes into a project."""
        if self.root is None:
            raise ConfigError(
                f"`codepanel {command}` needs a panel project: no {CONFIG_FILENAME} in {Path.cwd()} or any "
                "folder above it; run `codepanel init` to make this folder one"
            )
        return self.root

    def resolve(self, relative: str) -> Path:
        """A path in reviewers.yaml (``cloud.plugins_dir``), relative to the project."""
        return (self.root or self.config_file.resolve().parent) / relative


def packaged_file(name: str) -> Path:
    """A file shipped with codepanel (reviewers.yaml, template.yaml.j2), in a checkout or a wheel."""
    here = Path(__file__).resolve().parents[1]  # the framework package
    for candidate in (here.parent / name, here / "data" / name):
        if candidate.is_file():
            return candidate
    raise ConfigError(f"{name}: not found next to the framework package")
