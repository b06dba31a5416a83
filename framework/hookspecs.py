"""The hooks a codepanel plugin can implement. Each is documented in docs/plugins.md."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from framework.agents.session import ModelSession
    from framework.findings import Finding
    from framework.reviewer import Reviewer
    from framework.run.summary import RunSummary

hookspec = pluggy.HookspecMarker("codepanel")
hookimpl = pluggy.HookimplMarker("codepanel")


@hookspec
def register_reviewers(register: Callable[[type[Reviewer]], None]) -> None:
    """Register reviewer classes by calling ``register(ReviewerClass)`` for each."""


@hookspec
def aggregate_findings(findings: list[Finding], summary: RunSummary, model: ModelSession | None) -> None:
    """Work on all reviewers' findings at the end of a run: change them in place, add facts to ``summary``."""
