"""The run request: what a review was asked to do. The orchestrator's event, and ``request.json``.

`codepanel review` builds it (``local_request``), `codepanel run` and the HTTP trigger build it
(``framework.cloud.remote``), and the orchestrator reads its event into it (``from_event``).
Every later stage reads the run's ``request.json`` back into the same model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from framework.config.messages import first_message
from framework.errors import CodepanelError
from framework.triage.diff import DiffScope

# The documented default of --min-confidence: low-confidence findings (local sources, a source the
# analysis could not trace) wait in findings.json for whoever wants them.
DEFAULT_MIN_CONFIDENCE = "medium"
EVENT_SHAPE = '{"repository": "PATH_OR_URL", "reviewers": [NAME, ...], ...}'


class RunRequest(BaseModel):
    # NOTE: unknown keys are ignored rather than refused, so that an older client's event still runs.
    model_config = ConfigDict(extra="ignore", defer_build=True)

    repository: str
    # Reviewer names to run, in order; None runs every enabled reviewer.
    reviewers: list[str] | None = None
    # A model for every reviewer (the CLI's --model), else reviewers.yaml's.
    model: str | None = None
    run_id: str | None = None
    # The workspace folder; ignored on AWS, where it is always the function's mount.
    workspace: str | None = None
    # Stamped by the caller, so that it survives replays unchanged.
    started: float | None = None
    # --diff: review only the changed files and report only findings on changed lines.
    diff: DiffScope | None = None
    # --baseline: the baseline file's absolute path.
    baseline: str | None = None
    # --no-cache turns the result cache off.
    cache: bool = True
    # --min-confidence: findings less sure than this are kept in findings.json but left out of the
    # reports, the counts and --fail-on.
    min_confidence: Literal["high", "medium", "low"] = DEFAULT_MIN_CONFIDENCE

    @field_validator("reviewers", mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [name.strip() for name in value.split(",") if name.strip()]
        return value or None

    @classmethod
    def from_event(cls, event: Any, on_lambda: bool = False) -> RunRequest:
        """The orchestrator's event, checked; on Lambda the event cannot choose the workspace."""
        try:
            if isinstance(event, str):
                event = json.loads(event)
            request = cls.model_validate(event)
        except ValidationError as error:
            raise CodepanelError(f"the orchestrator expects {EVENT_SHAPE}: {first_message(error)}") from None
        except ValueError:
            raise CodepanelError(f"the orchestrator expects {EVENT_SHAPE}") from None
        if on_lambda and request.workspace is not None:
            request = request.model_copy(update={"workspace": None})
        return request

    def to_event(self) -> dict[str, Any]:
        """The event that starts an orchestrator: what was set, as JSON."""
        return self.model_dump(mode="json", exclude_unset=True)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def local_request(
    target: str,
    reviewers: list[str] | None = None,
    model: str | None = None,
    diff_base: str | None = None,
    whole_files: bool = False,
    baseline_file: str | None = None,
    cache: bool = True,
    min_confidence: str = DEFAULT_MIN_CONFIDENCE,
) -> RunRequest:
    """The request of `codepanel review TARGET`, with --diff and --baseline checked before the review starts."""
    from framework.triage import baseline, diff

    if whole_files and not diff_base:
        raise CodepanelError("--diff-whole-files needs --diff BASE_REF")
    scope = diff.changed_lines(target, diff_base, whole_files) if diff_base else None
    if baseline_file:
        baseline.load(baseline_file)  # a missing or malformed file is an error now, not after the review
    from framework.source import credentials

    return RunRequest(
        repository=credentials.hold(target),  # NOTE: the request is recorded on disk; the token is not
        reviewers=reviewers,
        model=model,
        diff=scope,
        baseline=str(Path(baseline_file).resolve()) if baseline_file else None,
        cache=cache,
        min_confidence=min_confidence,
    )
