"""A local run's durable execution state, kept in the run's folder with the durable SDK's SQLite store.

    runs/<run-id>/execution.db     the execution: its input and every checkpointed operation
    runs/<run-id>/.lock            held (flock) by the process that drives the run

The lock tells a running run from an interrupted one: the kernel drops it however its process
ends, ``kill -9`` and a reboot included. An interrupted run is resumed by loading its execution
and letting the SDK replay it (``prepare_resume``): every step and every reviewer that finished
returns its checkpointed result, the rest runs again.
"""

from __future__ import annotations

import fcntl
import functools
import os
import threading
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from framework.errors import WorkspaceError
from framework.run.workspace import Run

if TYPE_CHECKING:  # the SDK is imported when a store is opened: a reused run never needs it
    from aws_durable_execution_sdk_python_testing.execution import Execution
    from aws_durable_execution_sdk_python_testing.stores.sqlite import SQLiteExecutionStore

STORE_FILE = "execution.db"
LOCK_FILE = ".lock"


class RunState(StrEnum):
    FINISHED = "finished"  # summary.json is written
    RUNNING = "running"  # a live process holds the run's lock
    INTERRUPTED = "interrupted"  # its execution is unfinished and nothing drives it: `runs resume` continues it
    FAILED = "failed"  # its execution ended without a summary (the orchestrator itself failed)
    UNSTARTED = "unstarted"  # no execution was ever recorded: nothing to resume


def store_path(run: Run) -> Path:
    return run.dir / STORE_FILE


def open_store(run: Run) -> SQLiteExecutionStore:
    """The run's store, created if need be."""
    store = store_class()(store_path(run))
    store._init_db()
    return store


@functools.cache
def store_class() -> type[SQLiteExecutionStore]:
    from aws_durable_execution_sdk_python_testing.stores.sqlite import SQLiteExecutionStore

    class RunStore(SQLiteExecutionStore):
        """The SDK's SQLite store, which records nothing more once the review is stopping.

        NOTE: a stop kills the reviewers; their deaths must not be recorded as failures, or a
        resume would take them as finished. Freezing the store keeps the state the stop began in.
        """

        def __init__(self, db_path: Path) -> None:
            super().__init__(db_path)
            self.frozen = threading.Event()

        def save(self, execution: Execution) -> None:
            if not self.frozen.is_set():
                super().save(execution)

        def update(self, execution: Execution) -> None:
            self.save(execution)

    return RunStore


def execution_of(store: SQLiteExecutionStore, run: Run) -> Execution | None:
    """The run's execution (its name is the run id), if one was recorded."""
    executions, _ = store.query(execution_name=run.id, limit=1)
    return executions[0] if executions else None


def prepare_resume(store: SQLiteExecutionStore, execution: Execution) -> None:
    """Make an interrupted execution ready for ``resume_execution``: a new invocation replays it.

    NOTE: a reviewer invocation in flight when the review died left a STARTED operation that no
    target will ever complete (the targets lived in the dead process). It is dropped, with its
    START update, so that the replay invokes that reviewer again, as Lambda retries an invoke.
    The execution is then saved as paused with an invocation held back, which is what the
    runner's ``resume_execution`` starts.
    """
    from aws_durable_execution_sdk_python.lambda_service import OperationStatus, OperationType

    dropped = {
        operation.operation_id
        for operation in execution.operations
        if operation.operation_type is OperationType.CHAINED_INVOKE and operation.status is OperationStatus.STARTED
    }
    if dropped:
        execution.operations = [op for op in execution.operations if op.operation_id not in dropped]
        kept = {index for index, update in enumerate(execution.updates) if update.operation_id not in dropped}
        execution.updates = [update for index, update in enumerate(execution.updates) if index in kept]
        execution.update_timestamps = [
            stamp for index, stamp in enumerate(execution.update_timestamps) if index in kept
        ]
        for operation_id in dropped:
            execution.operation_last_touched_seq.pop(operation_id, None)
            execution.operation_size_bytes.pop(operation_id, None)
    execution.needs_reinvoke = False
    execution.consecutive_failed_invocation_attempts = 0
    execution.pause()
    execution.defer_invocation()
    store.save(execution)


class RunLock:
    """The run's lock, held while this process drives it; ``acquire`` fails if another process does."""

    def __init__(self, run: Run) -> None:
        self.path = run.dir / LOCK_FILE
        self.fd: int | None = None

    def acquire(self) -> RunLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise WorkspaceError(f"run {self.path.parent.name} is running in another process") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def is_locked(run: Run) -> bool:
    """Whether some live process drives the run now."""
    try:
        fd = os.open(run.dir / LOCK_FILE, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def state(run: Run) -> RunState:
    """Where the run stands: finished, running, interrupted (resumable), failed, or never started."""
    if run.summary_path.exists():
        return RunState.FINISHED
    if is_locked(run):
        return RunState.RUNNING
    if not store_path(run).exists():
        return RunState.UNSTARTED
    try:
        execution = execution_of(store_class()(store_path(run)), run)
    except Exception:  # noqa: BLE001 - an unreadable store: nothing can be resumed from it
        return RunState.FAILED
    if execution is None:
        return RunState.UNSTARTED
    return RunState.FAILED if execution.is_complete else RunState.INTERRUPTED
