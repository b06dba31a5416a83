"""The base class of every reviewer, and of its settings. A plugin subclasses both and registers the class."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, ValidationError

from framework.config.messages import first_message
from framework.errors import ConfigError
from framework.findings import Finding
from framework.tree import SourceTree

DEFAULT_PROMPT = """You are a meticulous code reviewer on a review panel.
Review the repository with the tools you are given. The analyzer findings below are your
starting point: confirm each one that is real, reject each one that is not (say why), and
add problems the analyzers missed. Report only problems you have seen in the code."""


class ReviewerSettings(BaseModel):
    """A reviewer's ``settings:`` in reviewers.yaml, validated when the config is loaded.

    Subclass it as ``Settings`` on your reviewer, one field per key, with its default. A key the
    model does not declare, or a value of the wrong kind, is a one-line configuration error
    naming ``reviewers.NAME.settings.KEY``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    @classmethod
    def checked(cls, raw: Mapping[str, Any] | None, where: str = "settings") -> Self:
        """``raw`` validated, or a ConfigError in one line: ``WHERE.KEY: expected ..., got ...``."""
        try:
            return cls.model_validate(dict(raw or {}))
        except ValidationError as error:
            raise ConfigError(f"{where}.{first_message(error, list(cls.model_fields))}") from None

    def get(self, key: str, default: Any = None) -> Any:
        """A setting by name, as from a dict: for reviewers written before they declared a model."""
        return getattr(self, key, default)


class AnySettings(ReviewerSettings):
    """The settings of a reviewer that declares no model: any keys, unchecked."""

    model_config = ConfigDict(extra="allow", frozen=True)


class Reviewer:
    """A reviewer: deterministic analyzers in ``analyze``, and a prompt for its agent.

    It is constructed without arguments, once per review, in the process that runs it.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    # Raise it whenever the findings change for the same input: it is part of the cache key.
    version: ClassVar[str] = "1"
    # The agent's system prompt when a model is configured; the default suits most reviewers.
    prompt: ClassVar[str] = DEFAULT_PROMPT
    # What it analyzes: file-name globs ("*.py"). The run counts the files no reviewer covers.
    covers: ClassVar[tuple[str, ...]] = ("*",)
    # What ``settings:`` may hold; ``analyze`` and ``analyze_files`` get an instance of it.
    Settings: ClassVar[type[ReviewerSettings]] = AnySettings
    # Files the reviewer could not analyze, as {"path", "reason"}: set it, and the summary lists them.
    skipped: list[dict[str, str]]

    def analyze(self, tree: SourceTree, settings: Any) -> Iterable[Finding]:
        """Yield findings for the files in ``tree``, with ``settings`` from reviewers.yaml.

        Its findings are cached for the tree as a whole: any changed file runs it again.
        """
        return ()

    def analyze_files(self, tree: SourceTree, paths: list[str], settings: Any) -> Iterable[Finding]:
        """Yield findings on ``paths`` only, each depending on nothing but its own file's content.

        Optional. It is called with batches of paths; what it finds is cached file by file, so a
        review after a change analyses only the files that changed. ``tree`` still holds every file.
        """
        return ()

    @classmethod
    def analyzes_files(cls) -> bool:
        return cls.analyze_files is not Reviewer.analyze_files

    @classmethod
    def settings_from(cls, raw: Mapping[str, Any] | None, where: str = "settings") -> ReviewerSettings:
        """``raw`` validated against ``Settings``; a mistake is a ConfigError naming ``where.KEY``."""
        return cls.Settings.checked(raw, where)

    def finding(self, **fields: Any) -> Finding:
        return Finding(reviewer=self.name, **fields)
