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
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from framework import environment, source
from framework import plugins as plugin_loader
from framework.config import Config, Project, ReviewerConfig
from framework.errors import CodepanelError, WorkspaceError
from framework.findings import Finding
from framework.panel import Panel
from framework.plugins import PluginSources
from framework.run import checkpoints, history, lifeline, reuse
from framework.run.outcome import ReviewerFailed, ReviewerTimedOut, Status
from framework.run.request import RunRequest
from framework.run.summary import RunSummary
from framework.run.workspace import Run, Workspace, new_run_id, read_json, write_atomic, write_json

# Time the runner allows beyond the longest reviewer timeout, for fetching and aggregating.
ORCHESTRATION_MARGIN = 600
# A reviewer event without a timeout (the config always gives one).
DEFAULT_TIMEOUT = 300
# How often the command looks at the execution and redraws the progress.
POLL_SECONDS = 0.05
EXECUTION_FUNCTION = "codepanel-orchestrator"
# The plugin folders a run loaded, so that `runs resume` loads the same.
PLUGINS_FILE = "plugins.json"


class Processes:
    """The reviewer processes of one review: each starts in a process group of its own, and dies with it."""

    def __init__(self) -> None:
        self.lifeline = lifeline.Lifeline()
        self.stopping = threading.Event()
        self._live: set[subprocess.Popen] = set()
        self._lock = threading.Lock()

    def start(self, env: dict[str, str], **options: Any) -> subprocess.Popen:
        with self._lock:
            if not self.stopping.is_set():
                process = subprocess.Popen(
                    [sys.executable, "-m", "framework.run.reviewer_handler"], env={
                        **env, environment.LIFELINE_FD: str(self.lifeline.read_fd)
                    }, start_new_session=True, pass_fds=(self.lifeline.read_fd,), **options,
                )  # fmt: skip
                self._live.add(process)
                return process
        self.hold_if_stopping()
        raise AssertionError("unreachable")

    def end(self, process: subprocess.Popen) -> None:
        """Kill what is left of the process's group (pool workers hold its pipes open), then reap it."""
        lifeline.kill_group(process.pid)
        process.wait()
        with self._lock:
            self._live.discard(process)

    def stop(self) -> None:
        """Kill every reviewer's process group; the targets then never return (see ``hold_if_stopping``)."""
        with self._lock:
            self.stopping.set()
            for process in self._live:
                lifeline.kill_group(process.pid)

    def hold_if_stopping(self) -> None:
        """Block a target thread for good once the review is stopping: no outcome may be recorded."""
        if self.stopping.is_set():
            threading.Event().wait()

    def close(self) -> None:
        self.lifeline.close()


class ReviewerProcess:
    """An invoke target: runs ``python -m framework.run.reviewer_handler`` for one reviewer, bounded in time.

    Its death is seen at once, whatever its pool workers do with its pipes: the target waits for
    the process itself to exit, then kills the rest of its group.
    """

    def __init__(self, run: Run, env: dict[str, str], processes: Processes):
        self.run = run
        self.env = env
        self.processes = processes

    def __call__(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        reviewer = event.get("reviewer") if isinstance(event.get("reviewer"), dict) else {}
        name = str(reviewer.get("name") or event.get("reviewer"))
        timeout = reviewer.get("timeout") or DEFAULT_TIMEOUT
        log_path = self.run.log_path(name)
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "wb") as log:
            process = self.processes.start(self.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
        try:
            stdout, exited = _communicate(process, json.dumps(event).encode(), timeout)
        finally:
            self.processes.end(process)
        self.processes.hold_if_stopping()
        if not exited:
            self._settle(name, Status.TIMED_OUT, f"timed out after {timeout} s")
            raise ReviewerTimedOut(f"Task timed out after {timeout:.2f} seconds")
        try:
            outcome = json.loads(stdout.decode("utf-8", "replace").strip().splitlines()[-1])
        except (ValueError, IndexError):
            outcome = {"error": _exit_description(process.returncode)}
        if process.returncode != 0 or "error" in outcome:
            message = outcome.get("error") or f"exit status {process.returncode}"
            self._settle(name, Status.FAILED, message)
            raise ReviewerFailed(message)
        return outcome

    def _settle(self, name: str, status: Status, error: str) -> None:
        """The final status of a reviewer that could not write its own (killed, out of time, out of disk)."""
        if self.run.statuses().get(name, {}).get("status") in (None, Status.RUNNING):
            try:
                self.run.set_status(name, status, error=error)
            except OSError:
                pass


def _communicate(process: subprocess.Popen, data: bytes, timeout: float) -> tuple[bytes, bool]:
    """Send ``data``, wait for the process to exit (not for its pipes to close); its output, and whether it exited."""
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(process.stdout.read()), daemon=True)
    reader.start()
    try:
        process.stdin.write(data)
        process.stdin.close()
    except OSError:
        pass  # it died before reading: its exit status says why
    exited = _wait_exit(process, timeout)
    lifeline.kill_group(process.pid)
    reader.join(2)
    return b"".join(chunks), exited


def _wait_exit(process: subprocess.Popen, timeout: float) -> bool:
    """Whether ``process`` exited within ``timeout``; it is left unreaped, so its group id stays its own."""
    try:
        pidfd = os.pidfd_open(process.pid)
    except (AttributeError, OSError):
        pidfd = None
    if pidfd is not None:
        try:
            ready, _, _ = select.select([pidfd], [], [], timeout)
            return bool(ready)
        finally:
            os.close(pidfd)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                return True
        except ChildProcessError:
            return True
        time.sleep(0.01)
    return False


def _exit_description(returncode: int) -> str:
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = str(-returncode)
        return f"the reviewer process was killed by {name}"
    return f"the reviewer process exited with status {returncode} and no outcome"


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

    def __init__(self, run: Run, config: Config, plugins: plugin_loader.Plugins, env: dict[str, str]):
        self.run, self.config, self.plugins, self.env = run, config, plugins, env
        longest = max([entry.timeout or config.defaults.timeout for entry in config.reviewers.values()]
                      + [config.defaults.timeout])  # fmt: skip
        self.timeout = longest + ORCHESTRATION_MARGIN
        self.invocation_timeout = longest + 60

    def __enter__(self) -> Self:
        from aws_durable_execution_sdk_python_testing import DurableFunctionTestRunner

        from framework.run import orchestrator

        self.lock = checkpoints.RunLock(self.run).acquire()
        self.processes = Processes()
        self.store = checkpoints.open_store(self.run)
        logging.getLogger("aws_durable_execution_sdk_python").setLevel(logging.WARNING)
        logging.getLogger("aws_durable_execution_sdk_python_testing").setLevel(logging.WARNING)
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
    source.classify(request.repository, panel.config.source, allow_local=True)
    prepare_workspace(workspace)
    run = workspace.run(run_id or new_run_id()).create()
    write_atomic(run.config_path, panel.config_text)
    write_json(run.dir / PLUGINS_FILE, panel.sources.to_json())
    event = request.model_copy(update={"run_id": run.id, "workspace": str(workspace.root), "started": time.time()})
    with LocalExecution(run, panel.config, panel.plugins, reviewer_environment(panel.sources)) as execution:
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
        if key is not None and (earlier := reuse.earlier_run(self.workspace, key)) is not None:
            self.reused = earlier.id
            return RunSummary.model_validate(read_json(earlier.summary_path)), earlier, load_findings(earlier)
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
