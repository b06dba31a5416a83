"""The durable orchestrator: fetch the source, resolve the reviewers, run them in parallel, aggregate.

One handler serves both ways of running: on AWS it is the durable Lambda function (``handler``),
and locally the durable SDK's own runner (``framework.run.local``) runs one built with the plugins
the command has already loaded (``build_handler``). Its event is a ``RunRequest``.

Every operation has a fixed name, and their order depends only on checkpointed results, so a
replay after a crash skips what already finished: a reviewer that returned is never run again.
The run's config is copied into the run by its first step and read from there by every later
one, so concurrent runs never see each other's config; it is parsed once per process
(``framework.config.parse``).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from typing import Any

from aws_durable_execution_sdk_python import DurableContext, durable_execution
from aws_durable_execution_sdk_python.config import CompletionConfig, MapConfig, StepConfig
from aws_durable_execution_sdk_python.exceptions import InvokeError
from aws_durable_execution_sdk_python.retries import RetryStrategyConfig, create_retry_strategy

from framework import environment, source
from framework import plugins as plugin_loader
from framework.cloud import names
from framework.errors import CodepanelError
from framework.run import finish, reviewer_handler
from framework.run.outcome import ReviewerOutcome
from framework.run.request import RunRequest
from framework.run.workspace import Run, Workspace, new_run_id, write_atomic, write_json
from framework.triage.paths import PathScope, out_of_scope

LOCAL_FUNCTION_PREFIX = "codepanel-reviewer-"

# Transient trouble (a file system hiccup, a flaky network) is retried; a CodepanelError is a
# verdict (bad config, refused URL) and is returned as data, never retried.
_STEP = StepConfig(
    retry_strategy=create_retry_strategy(
        RetryStrategyConfig(max_attempts=3, retryable_error_types=[OSError, TimeoutError])
    )
)


def build_handler(load_plugins: Callable[[], plugin_loader.Plugins]) -> Callable[..., Any]:
    """The durable handler; ``load_plugins`` gives the plugins whose aggregators finish the run."""

    @durable_execution
    def orchestrate(event: Any, context: DurableContext) -> dict[str, Any]:
        request = RunRequest.from_event(event, on_lambda=environment.running_on_lambda())
        run_id = context.step(lambda _: start_run(request), name="start-run", config=_STEP)
        fetched = context.step(lambda _: fetch_source(request, run_id), name="fetch-source", config=_STEP)
        plan = (
            context.step(lambda _: plan_reviewers(request, run_id, load_plugins), name="resolve-reviewers", config=_STEP)
            if "error" not in fetched
            else {"error": fetched["error"], "reviewers": []}
        )
        outcomes = [ReviewerOutcome.model_validate(outcome) for outcome in plan.get("reused", [])]
        if plan["reviewers"]:
            batch = context.map(
                plan["reviewers"],
                lambda ctx, reviewer, index, items: review(ctx, reviewer, run_id, request.workspace),
                name="reviewers",
                config=MapConfig(
                    max_concurrency=environment.max_concurrency(),
                    completion_config=CompletionConfig.all_completed(),
                ),
            )
            outcomes += [
                ReviewerOutcome.from_batch_item(plan["reviewers"][item.index]["name"], item)
                for item in batch.all
            ]
        order = {name: index for index, name in enumerate(plan.get("order", []))}
        outcomes.sort(key=lambda outcome: order.get(outcome.reviewer, len(order)))
        return context.step(
            lambda _: finish.finish_run(
                run_of(request, run_id), outcomes, error=plan.get("error"), plugins=load_plugins()
            ).to_json(),
            name="aggregate",
            config=_STEP,
        )

    return orchestrate


def review(context: DurableContext, reviewer: dict[str, Any], run_id: str, workspace: str | None) -> dict[str, Any]:
    """One branch of the map: invoke the reviewer's function; a failed invocation is an outcome too.

    NOTE: the invoke's error keeps the reviewer's own ErrorType (a timeout, say) only here: the
    map's item would carry the InvokeError around it. A replay raises the same error again.
    """
    name = reviewer["name"]
    try:
        return context.invoke(
            function_for(name), {"run_id": run_id, "reviewer": reviewer, "workspace": workspace}, name=f"review-{name}"
        )
    except InvokeError as error:
        return ReviewerOutcome.failure(name, error.error_type, error.message).to_json()


# The Lambda entry point, and the default for in-process runs: plugins from this process's environment.
handler = build_handler(lambda: plugin_loader.shared())


def run_of(request: RunRequest, run_id: str) -> Run:
    return Workspace(request.workspace).run(run_id)


def start_run(request: RunRequest) -> str:
    run = Workspace(request.workspace).run(request.run_id or new_run_id())
    if run.summary_path.exists():
        raise CodepanelError(f"run {run.id} has already finished")
    run.dir.mkdir(parents=True, exist_ok=True)
    if not run.config_path.exists():  # on AWS; a local review writes the run's copy before it starts
        write_atomic(run.config_path, run.workspace.read_config_text())
    recorded = request.model_copy(update={
        "repository": source.redact(request.repository), "run_id": run.id,
        "started": request.started or time.time(),
    })  # fmt: skip
    write_json(run.request_path, recorded.to_json())
    return run.id


def fetch_source(request: RunRequest, run_id: str) -> dict[str, Any]:
    run = run_of(request, run_id)
    if run.source_dir.exists():  # a retry after a crash half-way through the copy
        shutil.rmtree(run.source_dir)
    excluded = {str(run.workspace.root): "codepanel's workspace"}
    if request.baseline:
        excluded[str(run.workspace.root / request.baseline)] = "the baseline file"
    # NOTE: no store on Lambda: S3 Files would sync each link as a copy of its own.
    store = None if environment.running_on_lambda() else run.workspace.store_dir
    try:
        config = run.config()
        manifest = source.fetch(request.repository, run.source_dir, config.source, store=store, excluded=excluded)
    except CodepanelError as error:
        return {"error": str(error)}
    included = [entry["path"] for entry in manifest["included"]]
    manifest["out_of_scope"] = out_of_scope(included, PathScope.of(config.defaults.paths))
    write_json(run.manifest_path, manifest)
    return {"files": manifest["totals"]["files"], "skipped": manifest["totals"]["skipped"]}


def plan_reviewers(
    request: RunRequest, run_id: str, load_plugins: Callable[[], plugin_loader.Plugins] | None = None
) -> dict[str, Any]:
    """The reviewers to invoke, and those whose results of this very tree the cache already holds.

    NOTE: a reviewer whose last result for an unchanged tree is cached is not invoked at all: its
    results file is written here, so an unchanged tree starts no reviewer process.
    """
    run = run_of(request, run_id)
    try:
        selected = run.config().with_model(request.model).select(request.reviewers)
    except CodepanelError as error:
        return {"error": str(error), "reviewers": []}
    write_json(run.dir / "reviewers.json", [entry.model_dump(mode="json") for entry in selected])
    reused, invoke = [], []
    plugins = load_plugins() if load_plugins is not None and request.cache else None
    for entry in selected:
        outcome = reviewer_handler.reuse_cached(run, entry, plugins) if plugins is not None else None
        if outcome is None:
            invoke.append(entry.model_dump(mode="json"))
        else:
            reused.append(outcome.to_json())
    return {"reviewers": invoke, "reused": reused, "order": [entry.name for entry in selected]}


def function_for(reviewer: str) -> str:
    """The invoke target of a reviewer: its function's ``live`` alias on AWS, a registered name locally.

    A name the stack has no function for: invoking it fails, and the summary records the reviewer as failed.
    """
    deployed = environment.deployed_stack()
    if deployed is None:
        return f"{LOCAL_FUNCTION_PREFIX}{reviewer}"
    stack, prefix = deployed
    return names.reviewer_function_arn(prefix, stack, reviewer)
