"""`codepanel run`: start a review on the deployed orchestrator, follow it, read its results.

The run id is made here, before the start, and travels both in the event (the orchestrator names
the run's folder after it) and as the durable execution's name, so the execution can be found by
it and a repeated start of the same run is refused by Lambda rather than run twice.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from framework.cloud.aws import AwsError, Stack, aws_errors
from framework.config import Config
from framework.errors import CodepanelError, describe
from framework.findings import Finding
from framework.run.request import RunRequest
from framework.run.summary import RunSummary
from framework.run.workspace import new_run_id

# Statuses of a durable execution that has not ended yet.
UNFINISHED = ("RUNNING", "PAUSING", "PAUSED")
QUALIFIED_ARN = re.compile(
    r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+:[A-Za-z0-9_$-]+$"
)
# NOTE: S3 Files copies a file written through the mount into the bucket shortly after it is
# closed, not at once; the findings may reach S3 a little after the execution has ended.
SYNC_GRACE_SECONDS = 180


class RunFailed(CodepanelError):
    """The durable execution ended without a summary: failed, timed out or stopped."""

    exit_code = 3


@dataclass(frozen=True)
class Started:
    run_id: str
    execution_arn: str | None


def request_event(repository: str, reviewers: list[str] | None, run_id: str) -> dict[str, Any]:
    """The orchestrator's event (a RunRequest); the workspace comes from the orchestrator's environment."""
    request = RunRequest(repository=repository, reviewers=reviewers, run_id=run_id, started=time.time())
    return request.to_event()


def start_review(
    lambda_client: Any,
    orchestrator_arn: str,
    repository: str,
    reviewers: list[str] | None = None,
    run_id: str | None = None,
) -> Started:
    """Invoke the orchestrator asynchronously through its alias; returns once Lambda has queued it."""
    if not QUALIFIED_ARN.match(orchestrator_arn):
        raise CodepanelError(
            f"{orchestrator_arn!r} is not a qualified function ARN (ending in :ALIAS)"
        )
    run_id = run_id or new_run_id()
    payload = json.dumps(request_event(repository, reviewers, run_id)).encode("utf-8")
    with aws_errors("starting the orchestrator"):
        response = lambda_client.invoke(
            FunctionName=orchestrator_arn,
            InvocationType="Event",
            Payload=payload,
            DurableExecutionName=run_id,
        )
    if response.get("StatusCode") != 202:
        raise CodepanelError(
            f"starting the orchestrator: Lambda answered {response.get('StatusCode')}, not 202"
        )
    return Started(run_id=run_id, execution_arn=response.get("DurableExecutionArn"))


def unqualified(arn: str) -> str:
    """``arn:...:function:name:alias`` -> ``arn:...:function:name``."""
    return arn.rsplit(":", 1)[0] if QUALIFIED_ARN.match(arn) else arn


def function_name(arn: str) -> str:
    """``arn:...:function:name:alias`` -> ``name``: what the listing APIs take in the function's region.

    NOTE: Lambda takes a name or an ARN there; the local durable-execution API only a name.
    """
    return unqualified(arn).rsplit(":function:", 1)[-1]


def find_execution(lambda_client: Any, orchestrator_arn: str, run_id: str) -> str | None:
    with aws_errors("looking up the run's durable execution"):
        response = lambda_client.list_durable_executions_by_function(
            FunctionName=function_name(orchestrator_arn), DurableExecutionName=run_id
        )
    for execution in response.get("DurableExecutions", []):
        if execution.get("DurableExecutionName") == run_id:
            return execution["DurableExecutionArn"]
    return None


def wait_for_execution(
    lambda_client: Any,
    orchestrator_arn: str,
    started: Started,
    timeout: float | None = None,
    poll_interval: float = 5.0,
    on_status: Callable[[str], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, Any]:
    """Poll the run's durable execution until it ends; returns its description with its data."""
    deadline = None if timeout is None else clock() + timeout
    arn = started.execution_arn
    while True:
        if arn is None:
            arn = find_execution(lambda_client, orchestrator_arn, started.run_id)
        if arn is not None:
            with aws_errors("reading the run's durable execution"):
                execution = lambda_client.get_durable_execution(
                    DurableExecutionArn=arn, IncludeExecutionData=False
                )
            if on_status is not None:
                on_status(execution["Status"])
            if execution["Status"] not in UNFINISHED:
                with aws_errors("reading the run's durable execution"):
                    return lambda_client.get_durable_execution(
                        DurableExecutionArn=arn, IncludeExecutionData=True
                    )
        if deadline is not None and clock() >= deadline:
            state = "has not started" if arn is None else "is still running"
            raise RunFailed(
                f"run {started.run_id} {state} after {timeout:g} s of waiting; it goes on in the cloud "
                f"(durable execution {arn or 'not found yet'})"
            )
        sleep(poll_interval)


def check_outcome(execution: dict[str, Any], run_id: str, results_at: str) -> RunSummary | None:
    """The summary the orchestrator returned, or RunFailed saying why there is none."""
    status = execution["Status"]
    error = execution.get("Error") or {}
    detail = ": ".join(part for part in (error.get("ErrorType"), error.get("ErrorMessage")) if part)
    detail = " ".join(detail.split())[:500]
    if status == "SUCCEEDED":
        result = execution.get("Result")
        return RunSummary.model_validate(json.loads(result)) if result else None
    if status == "TIMED_OUT":
        raise RunFailed(
            f"run {run_id} timed out: the orchestrator's execution timeout passed before it finished "
            f"(cloud.orchestrator.execution_timeout); partial results may be in {results_at}"
        )
    if status == "STOPPED":
        raise RunFailed(
            f"run {run_id} was stopped before it finished{': ' + detail if detail else ''}"
        )
    raise RunFailed(
        f"run {run_id} {status.lower().replace('_', ' ')}: {detail or 'no error was reported'}"
    )


def read_json_object(
    s3_client: Any,
    bucket: str,
    key: str,
    grace: float = SYNC_GRACE_SECONDS,
    poll_interval: float = 5.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Any:
    """A JSON file of the workspace, read from the bucket; waits up to ``grace`` for it to appear."""
    deadline = clock() + grace
    while True:
        try:
            with aws_errors(f"reading s3://{bucket}/{key}"):
                body = s3_client.get_object(Bucket=bucket, Key=key)["Body"].read()
            return json.loads(body)
        except AwsError as error:
            if error.code != "NoSuchKey" or clock() >= deadline:
                raise
        except ValueError as error:
            raise CodepanelError(f"s3://{bucket}/{key}: not valid JSON: {error}") from None
        sleep(poll_interval)


def read_results(
    s3_client: Any, stack: Stack, run_id: str, summary: RunSummary | None = None, **waiting: Any
) -> tuple[RunSummary, list[Finding]]:
    """The run's summary (unless the execution returned it) and findings, from the bucket."""
    run_prefix = f"{stack.prefix}runs/{run_id}/"
    if summary is None:
        data = read_json_object(s3_client, stack.bucket, run_prefix + "summary.json", **waiting)
        try:
            summary = RunSummary.model_validate(data)
        except ValueError as error:
            raise CodepanelError(f"s3://{stack.bucket}/{run_prefix}summary.json: not a run summary: {describe(error)}") from None
    items = read_json_object(s3_client, stack.bucket, run_prefix + "findings.json", **waiting)
    return summary, [Finding.from_dict(item) for item in items]


@dataclass(frozen=True)
class RunStatus:
    """A run as its durable execution tells it: `codepanel status RUN_ID` and `runs list --remote`."""

    run_id: str
    status: str
    started: Any = None
    ended: Any = None
    execution_arn: str | None = None
    error: str | None = None

    def line(self) -> str:
        when = f" started {self.started:%Y-%m-%d %H:%M:%S}" if self.started else ""
        ended = f", ended {self.ended:%H:%M:%S}" if self.ended else ""
        return f"{self.run_id}  {self.status}{when}{ended}{': ' + self.error if self.error else ''}"


def _status_of(execution: dict[str, Any]) -> RunStatus:
    error = execution.get("Error") or {}
    detail = ": ".join(part for part in (error.get("ErrorType"), error.get("ErrorMessage")) if part)
    return RunStatus(
        run_id=execution.get("DurableExecutionName", ""), status=execution.get("Status", "UNKNOWN"),
        started=execution.get("StartTimestamp"), ended=execution.get("EndTimestamp"),
        execution_arn=execution.get("DurableExecutionArn"), error=" ".join(detail.split())[:300] or None,
    )  # fmt: skip


def run_status(lambda_client: Any, orchestrator_arn: str, run_id: str) -> RunStatus:
    """The run's durable execution, found by its name (the run id); a missing one is one line."""
    arn = find_execution(lambda_client, orchestrator_arn, run_id)
    if arn is None:
        raise CodepanelError(f"no run {run_id} on this stack (no durable execution of that name)")
    with aws_errors("reading the run's durable execution"):
        return _status_of(lambda_client.get_durable_execution(DurableExecutionArn=arn, IncludeExecutionData=False))


def list_runs(lambda_client: Any, orchestrator_arn: str, limit: int = 50) -> list[RunStatus]:
    """The stack's most recent runs, newest first, from the durable executions Lambda keeps."""
    with aws_errors("listing the stack's durable executions"):
        response = lambda_client.list_durable_executions_by_function(
            FunctionName=function_name(orchestrator_arn), ReverseOrder=True, MaxItems=limit
        )
    runs = [_status_of(execution) for execution in response.get("DurableExecutions", [])]
    return sorted(runs, key=lambda run: (run.started is not None, run.started or 0), reverse=True)[:limit]


def check_reviewers(config: Config, reviewers: list[str] | None) -> None:
    """Refuse, before anything starts, names that reviewers.yaml lacks or that have no function."""
    selected = config.select(reviewers)  # UnknownReviewerError lists the names that exist
    disabled = [entry.name for entry in selected if not entry.enabled]
    if disabled:
        raise CodepanelError(
            f"reviewer {disabled[0]!r} is disabled in reviewers.yaml, so the stack has no function "
            "for it; enable it, then `codepanel deploy`"
        )


@dataclass
class RemoteReview:
    """A review on a deployed stack: what `codepanel run` does, step by step."""

    config: Config
    stack: Stack
    lambda_client: Any
    s3_client: Any
    reviewers: list[str] | None = None

    @classmethod
    def open(
        cls,
        config_path: str | None,
        reviewers: list[str] | None = None,
        stack: str | None = None,
        region: str | None = None,
        profile: str | None = None,
        session: Any = None,
    ) -> RemoteReview:
        """Check the reviewer names, then find the stack named by the options or reviewers.yaml."""
        from framework import config as config_module
        from framework.cloud import aws

        config = config_module.load(config_module.find_config_file(config_path))
        check_reviewers(config, reviewers)
        target = aws.Target.resolve(config.cloud, stack, region, profile)
        session = session or aws.session(target.region, target.profile)
        found = aws.describe_stack(session.client("cloudformation"), target.stack)
        return cls(config, found, session.client("lambda"), session.client("s3"), reviewers)

    def start(self, repository: str) -> Started:
        return start_review(self.lambda_client, self.stack.orchestrator_arn, repository, self.reviewers)

    def wait(
        self,
        started: Started,
        timeout: float | None = None,
        poll_interval: float = 5.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> tuple[RunSummary, list[Finding]]:
        """Follow the run to its end; its summary and findings, or RunFailed."""
        execution = wait_for_execution(
            self.lambda_client, self.stack.orchestrator_arn, started,
            timeout=timeout, poll_interval=poll_interval, sleep=sleep,
        )  # fmt: skip
        results_at = self.stack.location(f"runs/{started.run_id}/")
        summary = check_outcome(execution, started.run_id, results_at)
        return read_results(
            self.s3_client,
            self.stack,
            started.run_id,
            summary,
            poll_interval=poll_interval,
            sleep=sleep,
        )
