"""Local mode: the durable orchestrator under the durable SDK's own runner.

Each reviewer is registered as an invoke target backed by the reviewer handler that the Lambda
functions use (``framework.run.reviewer_handler.handler``), run in a process of its own so that it uses its own
core and can be killed at its timeout, as Lambda kills a function that runs too long.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from framework import environment, source
from framework.config import Config
from framework.errors import CodepanelError
from framework.run.orchestrator import LOCAL_FUNCTION_PREFIX
from framework.run.workspace import Run, Workspace, new_run_id

# Time the runner allows beyond the longest reviewer timeout, for fetching and aggregating.
ORCHESTRATION_MARGIN = 600


class ReviewerTimedOut(Exception):
    """Raised by a local invoke target whose reviewer ran past its timeout."""


class ReviewerFailed(Exception):
    """Raised by a local invoke target whose reviewer process failed."""


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


def reviewer_environment(plugins_dir: str | None) -> dict[str, str]:
    env = dict(os.environ)
    # The reviewer process must import this very checkout of the framework.
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    if plugins_dir:
        env[environment.PLUGINS_DIR] = str(Path(plugins_dir).resolve())
    return env


def run_review(
    repository: str,
    config: Config,
    config_text: str,
    workspace: Workspace,
    reviewers: list[str] | None = None,
    model: str | None = None,
    plugins_dir: str | None = None,
    run_id: str | None = None,
    on_progress: Callable[[Run], None] | None = None,
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Review ``repository`` locally; returns the summary the orchestrator wrote.

    ``options`` go into the request as they are: ``diff``, ``baseline``, ``cache``.
    """
    from aws_durable_execution_sdk_python_testing import DurableFunctionTestRunner

    from framework.run import orchestrator

    # Validate what we can before starting, so that mistakes are one-line errors with exit 2.
    selected = config.with_model(model).select(reviewers)
    check_models(selected)
    source.classify(repository, config.source, allow_local=True)
    run = workspace.run(run_id or new_run_id())
    workspace.publish_config(config_text)
    longest = max((entry.timeout for entry in selected), default=60)
    execution_timeout = longest + ORCHESTRATION_MARGIN
    env = reviewer_environment(plugins_dir)
    event = {
        "repository": repository, "reviewers": reviewers, "model": model,
        "run_id": run.id, "workspace": str(workspace.root), "started": time.time(), **(options or {}),
    }  # fmt: skip
    logging.getLogger("aws_durable_execution_sdk_python").setLevel(logging.WARNING)
    logging.getLogger("aws_durable_execution_sdk_python_testing").setLevel(logging.WARNING)
    with _plugins_dir_for_aggregators(plugins_dir), DurableFunctionTestRunner(
        handler=orchestrator.handler,
        execution_timeout=execution_timeout,
        invocation_timeout=longest + 60,
        poll_interval=0.1,
    ) as runner:
        for entry in config.all_resolved():
            target = ReviewerProcess(entry.timeout, env, lambda ev, name=entry.name: run.log_path(name))
            runner.register_function(f"{LOCAL_FUNCTION_PREFIX}{entry.name}", target)
        arn = runner.run_async(
            input=json.dumps(event),
            execution_timeout=execution_timeout,
            function_name="codepanel-orchestrator",
            execution_name=run.id,
        )
        result = _wait(runner, arn, execution_timeout, run, on_progress)
    if result.error is not None or result.result is None:
        message = getattr(result.error, "message", None) or "the orchestrator returned no result"
        raise CodepanelError(f"review failed: {' '.join(str(message).split())}")
    return json.loads(result.result)


def check_models(selected: list[Any]) -> None:
    """A missing credential or extra is a one-line error now, not a failed reviewer later."""
    from framework.agents import providers as models

    checked = set()
    for entry in selected:
        if entry.model.label() not in checked:
            checked.add(entry.model.label())
            models.check(entry.model)


@contextlib.contextmanager
def _plugins_dir_for_aggregators(plugins_dir: str | None) -> Iterator[None]:
    """$CODEPANEL_PLUGINS_DIR for this process while it runs, as the reviewer processes get it.

    The aggregate step runs here, not in a reviewer process, and loads the plugins' aggregators.
    """
    if not plugins_dir:
        yield
        return
    previous = os.environ.get(environment.PLUGINS_DIR)
    os.environ[environment.PLUGINS_DIR] = str(Path(plugins_dir).resolve())
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(environment.PLUGINS_DIR, None)
        else:
            os.environ[environment.PLUGINS_DIR] = previous


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
