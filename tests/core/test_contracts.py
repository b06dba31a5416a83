"""The typed contracts between stages: the run request, a reviewer's outcome, the summary, one status vocabulary."""

from __future__ import annotations

import pytest

from framework.cli.console import STATUS_STYLES
from framework.errors import CodepanelError
from framework.run.outcome import (
    LABELS,
    TIMEOUT_ERROR_TYPES,
    ReviewerOutcome,
    ReviewerTimedOut,
    Status,
    error_type,
)
from framework.run.request import RunRequest
from framework.run.summary import RunSummary


def test_every_status_has_a_report_label_and_a_console_style():
    assert set(LABELS) == set(STATUS_STYLES) - {"waiting"} == set(Status)
    assert Status.TIMED_OUT.label == "TIMED OUT" and Status.INCOMPLETE.label == "INCOMPLETE"


def test_the_request_reads_an_event_and_refuses_a_malformed_one_in_one_line():
    request = RunRequest.from_event('{"repository": "https://github.com/o/r", "reviewers": "security, style"}')
    assert request.reviewers == ["security", "style"] and request.cache is True and request.diff is None
    with pytest.raises(CodepanelError) as error:
        RunRequest.from_event({"repository": 42})
    assert str(error.value) == (
        'the orchestrator expects {"repository": "PATH_OR_URL", "reviewers": [NAME, ...], ...}: '
        "repository: expected a string, got 42"
    )
    with pytest.raises(CodepanelError, match="the orchestrator expects"):
        RunRequest.from_event("not json")


def test_an_event_cannot_choose_the_workspace_on_lambda():
    event = {"repository": "https://github.com/o/r", "workspace": "/etc"}
    assert RunRequest.from_event(event).workspace == "/etc"
    assert RunRequest.from_event(event, on_lambda=True).workspace is None


def test_a_failed_invocation_is_timed_out_only_by_its_error_type():
    assert error_type(ReviewerTimedOut) in TIMEOUT_ERROR_TYPES
    timed_out = ReviewerOutcome.failure("style", "Sandbox.Timedout", "2026-12-01T00:00:00Z abc Task timed out after 3.00 seconds")
    assert timed_out.status == Status.TIMED_OUT
    # A message that merely mentions a timeout does not make one.
    failed = ReviewerOutcome.failure("style", "RuntimeError", "the request timed out")
    assert failed.to_json() == {"reviewer": "style", "status": "failed", "findings": 0, "error": "the request timed out"}


def test_the_summary_writes_what_was_set_and_keeps_what_plugins_add():
    summary = RunSummary.model_validate({"run_id": "20260101T000000Z-00000000", "status": "ok"})
    summary.licenses = {"MIT": 3}
    data = summary.to_json()
    assert "error" not in data and "diff" not in data and data["licenses"] == {"MIT": 3}
    again = RunSummary.model_validate(data)
    assert again.licenses == {"MIT": 3} and again.status is Status.OK and again.complete
