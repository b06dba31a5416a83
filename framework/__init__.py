"""codepanel: a panel of code-review agents that share one workspace.

This module is the whole plugin API: a plugin needs one import, ``from framework import ...``.

- ``hookimpl`` marks hook implementations (``register_reviewers``, ``aggregate_findings``).
- ``Reviewer`` and ``ReviewerSettings`` are what a reviewer subclasses; ``Finding`` is what it
  reports, at one of ``SEVERITIES`` and ``CONFIDENCES``; ``SourceTree`` is the source it reads.
- ``RunSummary``, ``ReviewerSummary`` and ``Status`` are what an aggregator reads and adds to;
  ``ModelSession`` is the run's model it may ask.
- ``CodepanelError``, ``ConfigError``, ``PluginError`` and ``PathRefused`` are the errors a
  plugin may raise or catch.

The rest of the package is the framework's own, laid out as the pipeline it runs: ``config``,
``source``, ``run``, ``triage``, ``aggregators``, ``agents``, ``reports``, ``cloud`` and ``cli``.
"""

from typing import TYPE_CHECKING, Any

from framework.errors import CodepanelError, ConfigError, PathRefused, PluginError
from framework.findings import CONFIDENCES, SEVERITIES, Finding
from framework.hookspecs import hookimpl
from framework.reviewer import Reviewer, ReviewerSettings
from framework.tree import SourceTree

if TYPE_CHECKING:
    from framework.agents.session import ModelSession
    from framework.run.outcome import Status
    from framework.run.summary import ReviewerSummary, RunSummary

__version__ = "0.1.0"
__all__ = [
    "CONFIDENCES", "SEVERITIES", "CodepanelError", "ConfigError", "Finding", "ModelSession",
    "PathRefused", "PluginError", "Reviewer", "ReviewerSettings", "ReviewerSummary", "RunSummary",
    "SourceTree", "Status", "__version__", "hookimpl",
]  # fmt: skip

# Imported on first use: a reviewer process that never aggregates need not load them.
_LAZY = {
    "ModelSession": "framework.agents.session",
    "Status": "framework.run.outcome",
    "ReviewerSummary": "framework.run.summary",
    "RunSummary": "framework.run.summary",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'framework' has no attribute {name!r}")
