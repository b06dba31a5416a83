"""Finding, reading and validating reviewers.yaml: the one place where it is parsed.

Every error names the file, the key path and what was expected, in one line.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from framework.config.messages import first_message, kind
from framework.config.project import CONFIG_FILENAME, Project, packaged_file
from framework.config.schema import Config
from framework.errors import ConfigError

__all__ = ["CONFIG_FILENAME", "find_config_file", "load", "packaged_file", "parse", "read_text", "validate"]


@functools.cache
def _unique_key_loader() -> type:
    """A safe loader that refuses duplicate keys instead of keeping the last one.

    Made on first use, so that importing the config (as every reviewer process does) costs no YAML.
    """
    import yaml

    class UniqueKeyLoader(yaml.SafeLoader):
        def construct_mapping(self, node, deep=False):
            seen: set = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, (list, dict)):
                    raise yaml.constructor.ConstructorError(
                        None, None, "a mapping key must be a plain value", key_node.start_mark
                    )
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key!r}", key_node.start_mark
                    )
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    return UniqueKeyLoader


def parse(text: str, origin: str = CONFIG_FILENAME) -> Config:
    """Parse and validate the text of a reviewers.yaml; ``origin`` names it in errors.

    NOTE: a process parses one text once. The command line and the orchestrator it runs read the
    same reviewers.yaml (the file, then its published copy), and a ``Config`` is immutable.
    """
    config = _PARSED.pop(text, None)
    if config is None:
        config = _parse(text, origin)  # a mistake raises here, naming this origin, and is not kept
    _PARSED[text] = config
    while len(_PARSED) > MAX_PARSED:
        del _PARSED[next(iter(_PARSED))]
    return config


# Configs parsed in this process, by their text, most recently used last.
_PARSED: dict[str, Config] = {}
MAX_PARSED = 16


def _parse(text: str, origin: str) -> Config:
    import yaml

    try:
        data = yaml.load(text, Loader=_unique_key_loader())  # a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{origin}:{mark.line + 1}:{mark.column + 1}" if mark else origin
        problem = error.problem or error.context or "malformed YAML"
        raise ConfigError(f"{where}: invalid YAML: {problem}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{origin}: invalid YAML: {' '.join(str(error).split())}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: expected a mapping at the top level, got {kind(data)}")
    return validate(data, origin)


def validate(data: dict[str, Any], origin: str = CONFIG_FILENAME) -> Config:
    try:
        return Config.model_validate(data)
    except ValidationError as error:
        raise ConfigError(f"{origin}: {first_message(error)}") from None
    except (TypeError, ValueError) as error:  # a stray value pydantic could not even inspect
        raise ConfigError(f"{origin}: {' '.join(str(error).split())}") from None


def read_text(path: str | os.PathLike[str]) -> str:
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None


def load(path: str | os.PathLike[str]) -> Config:
    return parse(read_text(path), str(path))


def find_config_file(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The reviewers.yaml to use: ``explicit``, $CODEPANEL_CONFIG, the nearest one up from here, or the packaged one."""
    return Project.find(explicit).config_file
