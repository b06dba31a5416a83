"""Local mode: the durable orchestrator under the durable SDK's own runner.

Each reviewer is registered as an invoke target backed by the reviewer handler that the Lambda
functions use (``framework.run.reviewer_handler``), run in a process of its own so that it uses its
own core and can be killed at its timeout, as Lambda kills a function that runs too long. The
orchestrator's aggregate step runs in this process, with the plugins the command loaded.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framework import environment, source
from framework.config import ReviewerConfig
from framework.errors import CodepanelError
from framework.findings import Finding
from framework.panel import Panel
from framework.plugins import PluginSources
from framework.run import history
from framework.run.outcome import ReviewerFailed, ReviewerTimedOut, Status
from framework.run.request import RunRequest
from framework.run.summary import RunSummary
from framework.run.workspace import Run, Workspace, new_run_id

# Time the runner allows beyond the longest reviewer timeout, for fetching and aggregating.
ORCHESTRATION_MARGIN = 600


class ReviewerProcess:
    """An invoke target: runs ``python -m framework.run.reviewer_handler`` for one reviewer, bounded in time."""

    def __init__(self, timeout: int, env: dict[str, str], log_path: Callable[[dict], Path]):
        self.timeout = timeout
        self.env = env
        self.log_path = log_path

    def __call__(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        log_path = self.log_path(event)
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "framework.run.reviewer_handler"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                env=self.env, start_new_session=True,
            )  # fmt: skip
            try:
                stdout, _ = process.communicate(json.dumps(event).encode(), timeout=self.timeout)
            except subprocess.TimeoutExpired:
                _kill_group(process)
                raise ReviewerTimedOut(f"Task timed out after {self.timeout:.2f} seconds") from None
        try:
            outcome = json.loads(stdout.decode("utf-8", "replace").strip().splitlines()[-1])
        except (ValueError, IndexError):
            outcome = {"error": _exit_description(process.returncode)}
        if process.returncode != 0 or "error" in outcome:
            raise ReviewerFailed(outcome.get("error") or f"exit status {process.returncode}")
        return outcome


def _exit_description(returncode: int) -> str:
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = str(-returncode)
        return f"the reviewer process was killed by {name}"
    return f"the reviewer process exited with status {returncode} and no outcome"


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    process.wait()


def reviewer_environment(sources: PluginSources | None = None) -> dict[str, str]:
    """The environment of a reviewer process: this one's, with this framework and the panel's plugins."""
    env = {key: value for key, value in os.environ.items()
           if key not in (environment.PROJECT_PLUGINS, environment.PLUGINS_DIR)}  # fmt: skip
    # The reviewer process must import this very copy of the framework.
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    env.update((sources or PluginSources()).environment())
    return env


def run_review(
    panel: Panel,
    request: RunRequest,
    selected: list[ReviewerConfig],
    workspace: Workspace,
    run_id: str | None = None,
    on_progress: Callable[[Run], None] | None = None,
) -> RunSummary:
    """Review ``request.repository`` locally with the ``selected`` reviewers; returns the summary.

    ``selected`` is what ``panel.select`` gave for the request's reviewers and model: the
    orchestrator resolves the same selection from the published config.
    """
    from aws_durable_execution_sdk_python_testing import DurableFunctionTestRunner

    from framework.run import orchestrator

    # Validate what we can before starting, so that mistakes are one-line errors with exit 2.
    check_models(selected)
    source.classify(request.repository, panel.config.source, allow_local=True)
    run = workspace.run(run_id or new_run_id())
    workspace.publish_config(panel.config_text)
    longest = max((entry.timeout for entry in selected), default=60)
    execution_timeout = longest + ORCHESTRATION_MARGIN
    env = reviewer_environment(panel.sources)
    event = request.model_copy(update={"run_id": run.id, "workspace": str(workspace.root), "started": time.time()})
    logging.getLogger("aws_durable_execution_sdk_python").setLevel(logging.WARNING)
    logging.getLogger("aws_durable_execution_sdk_python_testing").setLevel(logging.WARNING)
    # The aggregate step runs in this process: it uses the plugins the panel loaded.
    handler = orchestrator.build_handler(lambda: panel.plugins)
    with DurableFunctionTestRunner(
        handler=handler,
        execution_timeout=execution_timeout,
        invocation_timeout=longest + 60,
        poll_interval=0.01,
    ) as runner:
        for entry in selected:
            target = ReviewerProcess(entry.timeout, env, lambda ev, name=entry.name: run.log_path(name))
            runner.register_function(f"{orchestrator.LOCAL_FUNCTION_PREFIX}{entry.name}", target)
        arn = runner.run_async(
            input=json.dumps(event.to_json()),
            execution_timeout=execution_timeout,
            function_name="codepanel-orchestrator",
            execution_name=run.id,
        )
        result = _wait(runner, arn, execution_timeout, run, on_progress)
    if result.error is not None or result.result is None:
        message = getattr(result.error, "message", None) or "the orchestrator returned no result"
        raise CodepanelError(f"review failed: {' '.join(str(message).split())}")
    return RunSummary.model_validate(json.loads(result.result))


def check_models(selected: list[ReviewerConfig]) -> None:
    """A missing credential or extra is a one-line error now, not a failed reviewer later."""
    from framework.agents import providers

    for spec in {entry.model.label(): entry.model for entry in selected}.values():
        providers.check(spec)


def _wait(runner, arn: str, timeout: int, run: Run, on_progress) -> Any:
    if on_progress is None:
        return runner.wait_for_result(arn, timeout=timeout)
    done = threading.Event()
    outcome: dict[str, Any] = {}

    def wait() -> None:
        try:
            outcome["result"] = runner.wait_for_result(arn, timeout=timeout)
        except BaseException as error:  # noqa: BLE001 - handed back to the caller's thread
            outcome["error"] = error
        finally:
            done.set()

    threading.Thread(target=wait, name="codepanel-wait", daemon=True).start()
    while not done.wait(0.2):
        on_progress(run)
    on_progress(run)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


@dataclass
class LocalReview:
    """`codepanel review` and `baseline create`: a panel, the request, its selection, in a workspace."""

    panel: Panel
    request: RunRequest
    selected: list[ReviewerConfig]
    workspace: Workspace
    pruned: history.Pruned = history.Pruned([], 0, 0)

    @classmethod
    def prepare(
        cls, request: RunRequest, config_path: str | None, plugins_dir: str | None, workspace: str | None
    ) -> LocalReview:
        """Load the panel (the config once, the plugins once) and select the reviewers once."""
        panel = Panel.load(config_path, plugins_dir)
        selected = panel.select(request.reviewers, request.model)
        return cls(panel, request, selected, Workspace(workspace))

    @property
    def offline(self) -> bool:
        return all(entry.model.offline for entry in self.selected)

    def run(self, on_progress: Callable[[Run], None] | None = None) -> tuple[RunSummary, Run, list[Finding]]:
        """Run it; a run that failed as a whole (a refused source, say) raises its error."""
        from framework.run.finish import load_findings

        summary = run_review(
            self.panel, self.request, self.selected, self.workspace, on_progress=on_progress
        )
        # Old runs go within the project's retention, this one never.
        self.pruned = history.prune(self.workspace, self.panel.config.retention, keep=frozenset({summary.run_id}))
        if summary.status == Status.FAILED and summary.error:
            raise CodepanelError(summary.error)
        run = self.workspace.run(summary.run_id)
        return summary, run, load_findings(run)
