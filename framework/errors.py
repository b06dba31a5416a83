"""Exceptions that callers tell apart. The CLI prints any ``CodepanelError`` in one line."""


class CodepanelError(Exception):
    """An error with a message fit to show a user as it is (exit code 2 unless said otherwise)."""

    exit_code = 2


class ConfigError(CodepanelError):
    """reviewers.yaml (or a value standing in for it) is not valid."""


class PluginError(CodepanelError):
    """A plugin failed to load or registered something invalid."""


class UnknownReviewerError(CodepanelError):
    """A reviewer was asked for by a name that no configuration declares."""


class SourceError(CodepanelError):
    """The repository under review could not be fetched or is refused by policy."""


class WorkspaceError(CodepanelError):
    """The workspace or a run inside it is missing or unreadable."""


class PathRefused(CodepanelError):
    """A path that would leave the source tree, or that is not a regular file."""


class ModelError(CodepanelError):
    """A model provider cannot be used: a missing extra, credential or setting."""


def describe(error: BaseException, limit: int = 500) -> str:
    """``Type: message`` on one line, cut at ``limit`` characters: for results files and notes."""
    return " ".join(f"{type(error).__name__}: {error}".split())[:limit]
