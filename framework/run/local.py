"""Local mode: the durable orchestrator under the durable SDK's own runner, checkpointed in the run.

Each reviewer is registered as an invoke target backed by the reviewer handler that the Lambda
functions use (``framework.run.reviewer_handler``), run in a process of its own so that it uses its
own core and can be killed at its timeout, as Lambda kills a function that runs too long. The
orchestrator's aggregate step runs in this process, with the plugins the command loaded.

The execution's checkpoints live in the run's folder (``framework.run.checkpoints``), so a review
killed in any way is continued by ``resume_review`` (`codepanel runs resume`): the reviewers that
finished are not run again. Every process of the review dies with it (``framework.run.lifeline``).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from framework import environment
from framework import plugins as plugin_loader
from framework.config import Config, Project, ReviewerConfig
from framework.errors import CodepanelError, WorkspaceError
from framework.findings import Finding
from framework.panel import Panel
from framework.plugins import PluginSources
from framework.run import checkpoints, history, lifeline, reuse
from framework.run.outcome import Status
from framework.run.request import RunRequest
from framework.run.reviewer_process import Processes, ReviewerProcess
from framework.run.summary import RunSummary
from framework.run.workspace import Run, Workspace, new_run_id, read_json, write_atomic, write_json

# Time the runner allows beyond the longest reviewer timeout, for fetching and aggregating.
ORCHESTRATION_MARGIN = 600
# How often the command looks at the execution and redraws the progress.
POLL_SECONDS = 0.05
EXECUTION_FUNCTION = "codepanel-orchestrator"
SDK_LOGGERS = ("aws_durable_execution_sdk_python", "aws_durable_execution_sdk_python_testing")
# The plugin folders a run loaded, so that `runs resume` loads the same.
PLUGINS_FILE = "plugins.json"


def reviewer_environment(sources: PluginSources | None = None) -> dict[str, str]:
    """The environment of a reviewer process: this one's, with this framework and the panel's plugins."""
    env = {key: value for key, value in os.environ.items()
           if key not in (environment.PROJECT_PLUGINS, environment.PLUGINS_DIR)}  # fmt: skip
    # The reviewer process must import this very copy of the framework.
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    env.update((sources or PluginSources()).environment())
    return env


class Interrupted(CodepanelError):
    """The review was stopped (Ctrl-C, SIGTERM, SIGHUP); its run is kept, to be resumed."""

    def __init__(self, run: Run, signum: int):
        name = signal.Signals(signum).name
        super().__init__(f"interrupted by {name}: run {run.id} is kept; `codepanel runs resume {run.id}` continues it")
        self.exit_code = 128 + signum


class Stopped(KeyboardInterrupt):
    """A SIGTERM or SIGHUP, raised in the main thread as Ctrl-C raises KeyboardInterrupt."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _raise_stopped(signum: int, frame: Any) -> None:
    raise Stopped(signum)


class LocalExecution:
    """One run's durable execution under the SDK's runner, checkpointed in the run's own store.

    Entering it takes the run's lock, opens its store and registers one invoke target per
    reviewer; ``start`` begins the execution, ``resume`` continues an interrupted one, and
    ``wait`` follows it to its summary. Ctrl-C, SIGTERM or SIGHUP inside it stops every process
    of the review and raises ``Interrupted``, with the run left resumable.
    """

    def __init__(
        self, run: Run, config: Config, plugins: plugin_loader.Plugins, env: dict[str, str],
        lock: checkpoints.RunLock | None = None,
    ):  # fmt: skip
        self.run, self.config, self.plugins, self.env, self.lock = run, config, plugins, env, lock
        longest = max([entry.timeout or config.defaults.timeout for entry in config.reviewers.values()]
                      + [config.defaults.timeout])  # fmt: skip
        self.timeout = longest + ORCHESTRATION_MARGIN
        self.invocation_timeout = longest + 60

    def __enter__(self) -> Self:
        from aws_durable_execution_sdk_python_testing import DurableFunctionTestRunner

        from framework.run import orchestrator

        self.lock = self.lock or checkpoints.RunLock(self.run).acquire()
        self.processes = Processes()
        self.store = checkpoints.open_store(self.run)
        for name in SDK_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
        # The aggregate step runs in this process: it uses the plugins the panel loaded.
        self.runner = DurableFunctionTestRunner(
            handler=orchestrator.build_handler(lambda: self.plugins),
            execution_timeout=self.timeout,
            invocation_timeout=self.invocation_timeout,
            poll_interval=0.01,
            store=self.store,
        )
        target = ReviewerProcess(self.run, self.env, self.processes)
        for name in self.config.reviewers:
            self.runner.register_function(f"{orchestrator.LOCAL_FUNCTION_PREFIX}{name}", target)
        self.signals = {}
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGHUP):
                self.signals[signum] = signal.signal(signum, _raise_stopped)
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        try:
            if isinstance(error, KeyboardInterrupt):
                self.stop()
                raise Interrupted(self.run, getattr(error, "signum", signal.SIGINT)) from None
        finally:
            for signum, previous in self.signals.items():
                signal.signal(signum, previous)
            if not self.processes.stopping.is_set():
                self.runner.close()
            self.processes.close()
            self.lock.release()

    def start(self, event: RunRequest) -> str:
        return self.runner.run_async(
            input=json.dumps(event.to_json()),
            execution_timeout=self.timeout,
            function_name=EXECUTION_FUNCTION,
            execution_name=self.run.id,
        )

    def resume(self) -> str:
        execution = checkpoints.execution_of(self.store, self.run)
        if execution is None:
            raise WorkspaceError(f"run {self.run.id} cannot be resumed: its review never started")
        if not execution.is_complete:
            checkpoints.prepare_resume(self.store, execution)
            self.runner.resume_execution(execution.durable_execution_arn)
        return execution.durable_execution_arn

    def wait(self, arn: str, on_progress: Callable[[Run], None] | None = None) -> RunSummary:
        """Follow the execution to its end and return the summary; raises its error as a CodepanelError."""
        from aws_durable_execution_sdk_python_testing.runner import DurableFunctionTestResult

        deadline = time.monotonic() + self.timeout
        while not (execution := self.store.load(arn)).is_complete:
            if time.monotonic() > deadline:
                raise CodepanelError(f"review failed: run {self.run.id} took longer than {self.timeout} s")
            if on_progress is not None:
                on_progress(self.run)
            time.sleep(POLL_SECONDS)
        if on_progress is not None:
            on_progress(self.run)
        result = DurableFunctionTestResult.create(execution=execution)
        if result.error is not None or result.result is None:
            self.run.settle_statuses(Status.FAILED, error="the run failed")
            message = getattr(result.error, "message", None) or "the orchestrator returned no result"
            raise CodepanelError(f"review failed: {' '.join(str(message).split())}")
        return RunSummary.model_validate(json.loads(result.result))

    def stop(self) -> None:
        """End every process of the review and record nothing more: the run stays as it was, resumable."""
        # What the SDK's threads log of the checkpoints it can no longer make is no news: one line says it.
        for name in SDK_LOGGERS:
            logging.getLogger(name).setLevel(logging.CRITICAL + 1)
        self.store.frozen.set()
        self.processes.stop()
        lifeline.kill_descendants()  # git, and anything else this process started
        self.run.settle_statuses(Status.INTERRUPTED)


def run_review(
    panel: Panel,
    request: RunRequest,
    selected: list[ReviewerConfig],
    workspace: Workspace,
    run_id: str | None = None,
    on_progress: Callable[[Run], None] | None = None,
    on_start: Callable[[Run], None] | None = None,
) -> RunSummary:
    """Review ``request.repository`` locally with the ``selected`` reviewers; returns the summary.

    ``selected`` is what ``panel.select`` gave for the request's reviewers and model: the
    orchestrator resolves the same selection from the run's copy of the config.
    """
    # Validate what we can before starting, so that mistakes are one-line errors with exit 2.
    check_models(selected)
    from framework import source  # cloning and copying: not needed when the run before answers

    source.classify(request.repository, panel.config.source, allow_local=True)
    workspace.check_writable()
    run = workspace.run(run_id or new_run_id()).create()
    lock = checkpoints.RunLock(run).acquire()  # before anything is written: see Workspace.clean_temporary
    write_atomic(run.config_path, panel.config_text)
    write_json(run.dir / PLUGINS_FILE, panel.sources.to_json())
    event = request.model_copy(update={"run_id": run.id, "workspace": str(workspace.root), "started": time.time()})
    env = reviewer_environment(panel.sources)
    with LocalExecution(run, panel.config, panel.plugins, env, lock) as execution:
        if on_start is not None:
            on_start(run)
        return execution.wait(execution.start(event), on_progress)


def resume_review(
    workspace: Workspace, run_id: str, on_progress: Callable[[Run], None] | None = None
) -> tuple[RunSummary, Panel]:
    """Continue the interrupted run ``run_id``: what finished is replayed from its checkpoints, not run again."""
    run = workspace.run(run_id)
    panel = run_panel(run)
    prepare_workspace(workspace)
    with LocalExecution(run, panel.config, panel.plugins, reviewer_environment(panel.sources)) as execution:
        return execution.wait(execution.resume(), on_progress), panel


def prepare_workspace(workspace: Workspace) -> None:
    """Refuse a workspace that is read-only or full, and clean what interrupted writes left in it."""
    workspace.check_writable()
    running = frozenset(run_id for run_id in workspace.runs() if checkpoints.is_locked(workspace.run(run_id)))
    workspace.clean_temporary(keep=running)


def run_panel(run: Run) -> Panel:
    """The panel a run was started with: its own copy of the config, and the plugins it loaded."""
    state = checkpoints.state(run)
    if state is not checkpoints.RunState.INTERRUPTED:
        raise WorkspaceError(f"run {run.id} cannot be resumed: {RESUME_REFUSALS[state].format(run=run.id)}")
    try:
        sources = plugin_loader.PluginSources.from_json(read_json(run.dir / PLUGINS_FILE))
    except WorkspaceError:
        sources = plugin_loader.PluginSources()
    text = run.config_path.read_text(encoding="utf-8")
    panel = Panel(run.config(), text, Project(run.config_path, None), plugin_loader.shared(sources))
    panel.check()
    return panel


RESUME_REFUSALS = {
    checkpoints.RunState.FINISHED: "it has finished (`codepanel runs show {run}`)",
    checkpoints.RunState.RUNNING: "it is running in another process",
    checkpoints.RunState.FAILED: "its review failed as a whole (start a new review)",
    checkpoints.RunState.UNSTARTED: "it stopped before its review started (start a new review)",
    checkpoints.RunState.INTERRUPTED: "",
}


def check_models(selected: list[ReviewerConfig]) -> None:
    """A missing credential or extra is a one-line error now, not a failed reviewer later."""
    from framework.agents import providers

    for spec in {entry.model.label(): entry.model for entry in selected}.values():
        providers.check(spec)


@dataclass
class LocalReview:
    """`codepanel review`, `runs resume` and `baseline create`: a panel, the request, its selection, in a workspace."""

    panel: Panel
    request: RunRequest
    selected: list[ReviewerConfig]
    workspace: Workspace
    pruned: history.Pruned = history.Pruned([], 0, 0)
    resuming: str | None = None
    # The earlier run of this very tree and panel that answered the review (``framework.run.reuse``).
    reused: str | None = None

    @classmethod
    def prepare(
        cls, request: RunRequest, config_path: str | None, plugins_dir: str | None, workspace: str | None
    ) -> LocalReview:
        """Load the panel (the config once, the plugins once) and select the reviewers once."""
        panel = Panel.load(config_path, plugins_dir)
        selected = panel.select(request.reviewers, request.model)
        return cls(panel, request, selected, Workspace(workspace))

    @classmethod
    def resume(cls, run_id: str, workspace: str | None) -> LocalReview:
        """The interrupted run ``run_id``, with the config and plugins it started with."""
        ws = Workspace(workspace)
        run = ws.run(run_id)
        if not run.exists():
            raise WorkspaceError(f"no run {run_id} in {ws.root}")
        panel = run_panel(run)
        store = checkpoints.store_class()(checkpoints.store_path(run))
        execution = checkpoints.execution_of(store, run)
        request = RunRequest.from_event(execution.start_input.input)
        return cls(panel, request, panel.select(request.reviewers, request.model), ws, resuming=run_id)

    @property
    def offline(self) -> bool:
        return all(entry.model.offline for entry in self.selected)

    def run(
        self, on_progress: Callable[[Run], None] | None = None, on_start: Callable[[Run], None] | None = None
    ) -> tuple[RunSummary, Run, list[Finding]]:
        """Run it; a run that failed as a whole (a refused source, say) raises its error."""
        from framework.run.finish import load_findings

        key = None if self.resuming else reuse.key_of(self.panel, self.request, self.selected, self.workspace)
        if not self.resuming:
            prepare_workspace(self.workspace)  # also when an earlier run answers: a read-only workspace is refused
        if key is not None and (earlier := reuse.earlier_run(self.workspace, key)) is not None:
            run, summary = earlier
            self.reused = run.id
            return RunSummary.model_validate(summary), run, load_findings(run)
        if self.resuming:
            check_models(self.selected)
            summary, _ = resume_review(self.workspace, self.resuming, on_progress)
        else:
            summary = run_review(
                self.panel, self.request, self.selected, self.workspace, on_progress=on_progress, on_start=on_start
            )
        if key is not None:
            ended = reuse.key_of(self.panel, self.request, self.selected, self.workspace)
            reuse.remember(self.workspace, key, ended, summary.run_id, summary.status)
        # Old runs go within the project's retention, this one never.
        self.pruned = history.prune(self.workspace, self.panel.config.retention, keep=frozenset({summary.run_id}))
        if summary.status == Status.FAILED and summary.error:
            raise CodepanelError(summary.error)
        run = self.workspace.run(summary.run_id)
        return summary, run, load_findings(run)
