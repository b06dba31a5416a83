"""The base class of every reviewer. A plugin subclasses it and registers the class."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from framework.findings import Finding
from framework.tree import SourceTree

DEFAULT_PROMPT = """You are a meticulous code reviewer on a review panel.
Review the repository with the tools you are given. The analyzer findings below are your
starting point: confirm each one that is real, reject each one that is not (say why), and
add problems the analyzers missed. Report only problems you have seen in the code."""


class Reviewer:
    """A reviewer: deterministic analyzers in ``analyze``, and a prompt for its agent."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    version: ClassVar[str] = "1"
    # The agent's system prompt when a model is configured; the default suits most reviewers.
    prompt: ClassVar[str] = DEFAULT_PROMPT

    def analyze(self, tree: SourceTree, settings: dict[str, Any]) -> Iterable[Finding]:
        """Yield findings for the files in ``tree``. ``settings`` come from reviewers.yaml.

        Its findings are cached for the tree as a whole: any changed file runs it again.
        """
        return ()

    def analyze_files(self, tree: SourceTree, paths: list[str], settings: dict[str, Any]) -> Iterable[Finding]:
        """Yield findings on ``paths`` only, each depending on nothing but its own file's content.

        Optional. What it finds is cached file by file, so a review after a change analyses only
        the files that changed (``framework.cache``). ``tree`` still holds every file.
        """
        return ()

    @classmethod
    def analyzes_files(cls) -> bool:
        return cls.analyze_files is not Reviewer.analyze_files

    def finding(self, **fields: Any) -> Finding:
        return Finding(reviewer=self.name, **fields)
