"""The run summary (``summary.json``): what a finished review found and how each reviewer did.

Built once, by the finish step (``framework.run.finish``), and read through attributes by the
console, every report, the exit code and `codepanel run`. Aggregator plugins may add their own
top-level facts as attributes (``summary.licenses = {...}``); they are written with the rest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from framework.errors import WorkspaceError
from framework.findings import SEVERITIES
from framework.run.outcome import Status


class _Part(BaseModel):
    # NOTE: only what was set is written (exclude_unset), so summary.json keeps the keys it always
    # had: an entry has "error" only when something failed, a run has "diff" only for --diff.
    model_config = ConfigDict(extra="allow", defer_build=True)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_unset=True)


class ReviewerSummary(_Part):
    """One reviewer's line of the summary."""

    status: Status
    duration: float | None = None
    model: str | None = None
    files_reviewed: int | None = None
    files_out_of_scope: int | None = None
    limits_hit: list[str] | None = None
    usage: dict[str, Any] | None = None
    notes: list[str] | None = None
    version: str | None = None
    cache: dict[str, Any] | None = None
    skipped: list[dict[str, Any]] | None = None
    error: str | None = None
    # The findings of this reviewer that the reports show.
    findings: int = 0

    @property
    def note(self) -> str:
        """The error, else the notes, on one line."""
        return self.error or "; ".join(self.notes or [])


class Counts(_Part):
    """Counts of what the reports show, and of what they leave out and why."""

    total: int = 0
    by_severity: dict[str, int] = Field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))
    by_reviewer: dict[str, int] = Field(default_factory=dict)
    rejected: int = 0
    duplicates: int = 0
    suppressed: int = 0
    baseline: int = 0
    outside_diff: int = 0


class RunSummary(_Part):
    """``summary.json``."""

    run_id: str
    repository: str | None = None
    commit: str | None = None
    status: Status
    # Why the run failed as a whole (a refused source, a bad config); absent otherwise.
    error: str | None = None
    started: float = 0.0
    finished: float = 0.0
    duration: float = 0.0
    files_reviewed: int = 0
    files_skipped: int = 0
    reviewers: dict[str, ReviewerSummary] = Field(default_factory=dict)
    counts: Counts = Field(default_factory=Counts)
    # The diff scope of a --diff review, and the baseline's counts with --baseline.
    diff: dict[str, Any] | None = None
    baseline: dict[str, Any] | None = None
    usage: dict[str, Any] = Field(default_factory=dict)
    # The run's files, relative to the workspace.
    reports: dict[str, str] = Field(default_factory=dict)
    # Plugins that failed to load, in the orchestrator or in a reviewer's process.
    plugin_problems: list[str] | None = None
    # What a limit cut, one sentence each ("source.max_files (50000): 50000 of 81234 files fetched").
    limits_hit: list[str] | None = None
    # Files of the snapshot that no reviewer analyzed, by language: {"JavaScript": 213}.
    uncovered: dict[str, int] | None = None
    # How findings in test code were treated: {"mode": "rank" | "skip" | "review", "findings": N}.
    tests: dict[str, Any] | None = None
    # What the aggregators did: {"aggregators": [...], "problems": [...], "notes": [...], "usage"}.
    aggregation: dict[str, Any] | None = None
    # Written by the built-in aggregators.
    deduplication: dict[str, Any] | None = None
    risk: dict[str, Any] | None = None
    executive_summary: dict[str, Any] | None = None

    @property
    def complete(self) -> bool:
        return self.status == Status.OK

    def attention(self) -> list[str]:
        """What a reader must know about what the review did not do, a sentence each, for every report."""
        lines = list(self.plugin_problems or [])
        lines += list(self.limits_hit or [])
        for language, count in (self.uncovered or {}).items():
            lines.append(f"{count} {language} files: no offline reviewer covers them; add a model or a reviewer")
        return lines

    def unfinished(self) -> dict[str, ReviewerSummary]:
        """The reviewers that did not end ok."""
        return {name: entry for name, entry in self.reviewers.items() if entry.status != Status.OK}

    @classmethod
    def read(cls, path: Path) -> RunSummary:
        try:
            return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise WorkspaceError(f"{path}: no such file") from None
        except (OSError, ValueError) as error:
            raise WorkspaceError(f"{path}: unreadable: {' '.join(str(error).split())[:300]}") from None
