"""reviewers.yaml: its schema (``schema``), the cloud section (``cloud``), finding the project it
defines (``project``), reading it (``loading``) and the one-line messages for its mistakes (``messages``).
"""

from framework.config.loading import (
    CONFIG_FILENAME,
    find_config_file,
    load,
    packaged_file,
    parse,
    read_text,
    validate,
)
from framework.config.project import Project
from framework.config.schema import (
    NAME_PATTERN,
    PROVIDERS,
    AgentSettings,
    Config,
    Defaults,
    Limits,
    ModelSpec,
    Price,
    ReviewerConfig,
    ReviewerEntry,
    SourceLimits,
    parse_model_string,
)

__all__ = [
    "CONFIG_FILENAME", "NAME_PATTERN", "PROVIDERS", "AgentSettings", "Config", "Defaults", "Limits",
    "ModelSpec", "Price", "Project", "ReviewerConfig", "ReviewerEntry", "SourceLimits", "find_config_file",
    "load", "packaged_file", "parse", "parse_model_string", "read_text", "validate",
]
