"""The invoke target of a local reviewer: one process per reviewer, in a process group of its own.

``ReviewerProcess`` runs ``python -m framework.run.reviewer_handler`` for one reviewer, bounded in
time as Lambda bounds a function. Its death is seen at once: the target waits for the process to
exit (not for its pipes to close: a pool worker may hold them), then kills the rest of its group.
``Processes`` keeps the review's reviewer processes and its lifeline (``framework.run.lifeline``).
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from typing import Any

from framework import environment
from framework.run import lifeline
from framework.run.outcome import ReviewerFailed, ReviewerTimedOut, Status
from framework.run.workspace import Run

# A reviewer event without a timeout (the config always gives one).
DEFAULT_TIMEOUT = 300
# Seconds a reviewer stopped at its timeout (SIGTERM) has to save its work before it is killed.
STOP_GRACE = 5


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
    if not exited:  # a chance to save the work done (the cache), as Lambda's runtime gets none
        try:
            os.kill(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        _wait_exit(process, STOP_GRACE)
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
