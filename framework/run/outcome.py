"""What a reviewer run tells: one status vocabulary, the results file, and the outcome of its invocation.

``Status`` is the one vocabulary of reviewers and runs: the status files, the results files, the
summary, every report and the exit codes use it. A reviewer's invocation returns a short
``ReviewerOutcome`` to the orchestrator; everything else it found is in its ``ReviewerResults``
file (``results/<reviewer>.json``), which the finish step reads.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict


class Status(StrEnum):
    """How a reviewer, or a whole run, stands."""

    RUNNING = "running"  # a reviewer that has started (status files only)
    OK = "ok"  # finished, and everything it was asked to do was done
    PARTIAL = "partial"  # a reviewer finished, but a limit cut its agent short; its findings stand
    FAILED = "failed"  # a reviewer raised or was killed; a run that could not start (source, config)
    TIMED_OUT = "timed_out"  # a reviewer stopped at its timeout
    INCOMPLETE = "incomplete"  # a run in which some reviewer did not end ok, or a limit cut the source
    EMPTY = "empty"  # a run in which no reviewer could analyze any file
    INTERRUPTED = "interrupted"  # a reviewer or run stopped (Ctrl-C, SIGTERM, a crash): `runs resume` continues it

    @property
    def label(self) -> str:
        """How reports print it: problems in capitals, so that they stand out."""
        return LABELS[self]


LABELS = {
    Status.RUNNING: "running",
    Status.OK: "ok",
    Status.PARTIAL: "partial",
    Status.FAILED: "FAILED",
    Status.TIMED_OUT: "TIMED OUT",
    Status.INCOMPLETE: "INCOMPLETE",
    Status.EMPTY: "NOTHING REVIEWED",
    Status.INTERRUPTED: "INTERRUPTED",
}


class ReviewerTimedOut(Exception):
    """Raised by a local invoke target whose reviewer ran past its timeout (``framework.run.local``)."""


class ReviewerFailed(Exception):
    """Raised by a local invoke target whose reviewer process failed."""


def error_type(error: type[BaseException]) -> str:
    """The ErrorType the durable SDK records for an exception class: its qualified name."""
    return f"{error.__module__}.{error.__qualname__}"


# The ErrorTypes of a reviewer invocation that ran out of time: Lambda's own function timeout, the
# durable service's chained-invoke timeout, and the local runner's (the same three, each where it runs).
TIMEOUT_ERROR_TYPES = frozenset({"Sandbox.Timedout", "ChainedInvoke.Timeout", error_type(ReviewerTimedOut)})


class _Record(BaseModel):
    # NOTE: extra keys are ignored, so that a results file written by another codepanel version
    # still reads; the keys below are the contract.
    model_config = ConfigDict(extra="ignore", defer_build=True)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class ReviewerResults(_Record):
    """``results/<reviewer>.json``: everything one reviewer run found, and how it went."""

    reviewer: str
    plugin: str = ""
    status: Status = Status.FAILED
    model: str = "offline"
    started: float | None = None
    duration: float | None = None
    # The reviewer class's ``version`` (part of the cache key).
    version: str | None = None
    files_reviewed: int | None = None
    # Files of the snapshot that this reviewer's ``paths`` left out.
    files_out_of_scope: int | None = None
    # What a limit cut, one sentence each: the review is partial.
    limits_hit: list[str] | None = None
    # What stopped short, and why, for the summary's note column.
    notes: list[str] | None = None
    # Files the reviewer could not analyze, as {"path", "reason"} (``Reviewer.skipped``).
    skipped: list[dict[str, Any]] | None = None
    # What the result cache reused (``framework.run.cache``).
    cache: dict[str, Any] | None = None
    # Model tokens, calls and cost (``framework.agents.pricing.usage_record``).
    usage: dict[str, Any] | None = None
    agent: dict[str, Any] | None = None
    # Plugins that failed to load in the reviewer's process.
    plugin_problems: list[str] | None = None
    error: str | None = None
    traceback: str | None = None
    # Finding.to_dict() of each finding, fingerprinted and sorted.
    findings: list[dict[str, Any]] = []


class ReviewerOutcome(_Record):
    """What a reviewer's invocation returns to the orchestrator, or what the orchestrator saw fail."""

    reviewer: str
    status: Status
    findings: int = 0
    duration: float | None = None
    # The results file, relative to the workspace.
    results: str | None = None
    error: str | None = None

    @classmethod
    def failure(cls, reviewer: str, error_type: str | None, message: str | None) -> ReviewerOutcome:
        """A reviewer invocation that raised: timed out when its ErrorType says so, else failed."""
        status = Status.TIMED_OUT if error_type in TIMEOUT_ERROR_TYPES else Status.FAILED
        return cls(reviewer=reviewer, status=status, error=" ".join(str(message or "no result").split())[:500])

    @classmethod
    def from_batch_item(cls, reviewer: str, item: Any) -> ReviewerOutcome:
        """The outcome of one branch of the orchestrator's map: the reviewer's own, or why it failed."""
        if item.error is None and isinstance(item.result, dict):
            return cls.model_validate({**item.result, "reviewer": reviewer})
        error = item.error
        return cls.failure(reviewer, getattr(error, "type", None), getattr(error, "message", None) or error)
