"""The durable orchestrator: fetch the source, resolve the reviewers, run them in parallel, aggregate.

One handler serves both ways of running: on AWS it is the durable Lambda function, and locally the
durable SDK's own runner (``framework.local``) runs it. Event::

    {"repository": "PATH_OR_URL", "reviewers": ["security", ...] or null, "model": null,
     "run_id": null, "workspace": null, "diff": null, "baseline": null, "cache": true}

Every operation has a fixed name, and their order depends only on checkpointed results, so a
replay after a crash skips what already finished: a reviewer that returned is never run again.
"""

from __future__ import annotations

import json
import shutil
import time
from typing import Any

from aws_durable_execution_sdk_python import DurableContext, durable_execution
from aws_durable_execution_sdk_python.config import CompletionConfig, MapConfig, StepConfig
from aws_durable_execution_sdk_python.retries import RetryStrategyConfig, create_retry_strategy

from framework import config as config_module
from framework import environment, source
from framework.errors import CodepanelError
from framework.run import finish as summary
from framework.run.workspace import Run, Workspace, new_run_id, write_json

LOCAL_FUNCTION_PREFIX = "codepanel-reviewer-"

# Transient trouble (a file system hiccup, a flaky network) is retried; a CodepanelError is a
# verdict (bad config, refused URL) and is returned as data, never retried.
_STEP = StepConfig(
    retry_strategy=create_retry_strategy(
        RetryStrategyConfig(max_attempts=3, retryable_error_types=[OSError, TimeoutError])
    )
)


@durable_execution
def handler(event: dict[str, Any], context: DurableContext) -> dict[str, Any]:
    request = normalize_request(event)
    run_id = context.step(lambda _: start_run(request), name="start-run", config=_STEP)
    fetched = context.step(lambda _: fetch_source(request, run_id), name="fetch-source", config=_STEP)
    plan = (
        context.step(lambda _: plan_reviewers(request, run_id), name="resolve-reviewers", config=_STEP)
        if "error" not in fetched
        else {"error": fetched["error"], "reviewers": []}
    )
    outcomes: list[dict[str, Any]] = []
    if plan["reviewers"]:
        batch = context.map(
            plan["reviewers"],
            lambda ctx, reviewer, index, items: ctx.invoke(
                function_for(reviewer["name"]),
                {"run_id": run_id, "reviewer": reviewer, "workspace": request["workspace"]},
                name=f"review-{reviewer['name']}",
            ),
            name="reviewers",
            config=MapConfig(completion_config=CompletionConfig.all_completed()),
        )
        outcomes = [outcome_of(item, plan["reviewers"]) for item in batch.all]
    return context.step(
        lambda _: summary.finish(_run(request, run_id), outcomes, error=plan.get("error")),
        name="aggregate",
        config=_STEP,
    )


def normalize_request(event: Any) -> dict[str, Any]:
    if isinstance(event, str):
        event = json.loads(event)
    if not isinstance(event, dict) or not isinstance(event.get("repository"), str):
        raise CodepanelError('the orchestrator expects {"repository": "PATH_OR_URL", ...}')
    reviewers = event.get("reviewers")
    if isinstance(reviewers, str):
        reviewers = [name.strip() for name in reviewers.split(",") if name.strip()]
    return {
        "repository": event["repository"],
        "reviewers": reviewers or None,
        "model": event.get("model"),
        "run_id": event.get("run_id"),
        # On AWS the workspace is the mount named by the function's environment, never the caller's choice.
        "workspace": None if environment.running_on_lambda() else event.get("workspace"),
        # Stamped by the caller so that it survives replays unchanged.
        "started": event.get("started") or None,
        # Review options (framework.diff, framework.baseline, framework.cache).
        "diff": event.get("diff") or None,
        "baseline": event.get("baseline") or None,
        "cache": event.get("cache", True) is not False,
    }


def _run(request: dict[str, Any], run_id: str) -> Run:
    return Workspace(request["workspace"]).run(run_id)


def start_run(request: dict[str, Any]) -> str:
    run = Workspace(request["workspace"]).run(request["run_id"] or new_run_id())
    if run.summary_path.exists():
        raise CodepanelError(f"run {run.id} has already finished")
    run.dir.mkdir(parents=True, exist_ok=True)
    write_json(
        run.request_path,
        {**request, "repository": source.redact(request["repository"]), "run_id": run.id,
         "started": request["started"] or time.time()},
    )  # fmt: skip
    return run.id


def fetch_source(request: dict[str, Any], run_id: str) -> dict[str, Any]:
    run = _run(request, run_id)
    if run.source_dir.exists():  # a retry after a crash half-way through the copy
        shutil.rmtree(run.source_dir)
    try:
        limits = _published_config(run.workspace).source
        manifest = source.fetch(request["repository"], run.source_dir, limits)
    except CodepanelError as error:
        return {"error": str(error)}
    write_json(run.manifest_path, manifest)
    return {"files": manifest["totals"]["files"], "skipped": manifest["totals"]["skipped"]}


def plan_reviewers(request: dict[str, Any], run_id: str) -> dict[str, Any]:
    run = _run(request, run_id)
    try:
        published = _published_config(run.workspace).with_model(request["model"])
        selected = published.select(request["reviewers"])
    except CodepanelError as error:
        return {"error": str(error), "reviewers": []}
    reviewers = [entry.model_dump(mode="json") for entry in selected]
    write_json(run.dir / "reviewers.json", reviewers)
    return {"reviewers": reviewers}


def _published_config(workspace: Workspace) -> config_module.Config:
    return config_module.parse(workspace.read_config_text(), str(workspace.config_path))


def function_for(reviewer: str) -> str:
    """The invoke target of a reviewer: a qualified ARN on AWS, a registered name locally."""
    mapping = environment.reviewer_functions()
    if mapping is not None:
        if reviewer not in mapping:
            # Invoking this name fails, and the summary records the reviewer as failed.
            return f"{LOCAL_FUNCTION_PREFIX}{reviewer}-not-deployed"
        return mapping[reviewer]
    return f"{LOCAL_FUNCTION_PREFIX}{reviewer}"


def outcome_of(item: Any, reviewers: list[dict[str, Any]]) -> dict[str, Any]:
    """What one map branch tells: the reviewer's own outcome, or why it failed."""
    name = reviewers[item.index]["name"]
    if item.error is None and isinstance(item.result, dict):
        return {**item.result, "reviewer": name}
    message = " ".join(str(getattr(item.error, "message", None) or item.error or "no result").split())
    kind = str(getattr(item.error, "type", "") or "")
    timed_out = "timed out" in message.lower() or "timeout" in kind.lower()
    return {"reviewer": name, "status": "timed_out" if timed_out else "failed", "error": message[:500]}
