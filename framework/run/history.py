"""The runs a workspace holds: listing them, and pruning old ones within ``retention`` in reviewers.yaml.

Pruning deletes whole run folders (never an unfinished run younger than ``max_age_days``), then
the files of the content-addressed store that no run links to any more.
"""

from __future__ import annotations

import calendar
import functools
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from framework.config.schema import Retention
from framework.errors import WorkspaceError
from framework.run.summary import RunSummary
from framework.run.workspace import Run, Workspace, read_json


@dataclass
class RunInfo:
    run: Run

    @property
    def started(self) -> float:
        return started_at(self.run.id)

    @property
    def finished(self) -> bool:
        return self.run.summary_path.exists()

    @functools.cached_property
    def summary(self) -> RunSummary | None:
        """None while the run is unfinished, or when its summary is unreadable."""
        try:
            return RunSummary.read(self.run.summary_path) if self.finished else None
        except WorkspaceError:
            return None


@dataclass(frozen=True)
class Pruned:
    runs: list[str]
    store_files: int
    bytes_freed: int


def row(info: RunInfo) -> dict[str, object]:
    """A run as `codepanel runs list` shows it; an interrupted one is ``resumable``."""
    from framework.run import checkpoints

    summary = info.summary
    state = checkpoints.state(info.run) if summary is None else checkpoints.RunState.FINISHED
    return {
        "run_id": info.run.id,
        "status": str(summary.status) if summary else UNFINISHED_STATUS[state],
        "repository": summary.repository if summary else _requested(info.run),
        "findings": summary.counts.total if summary else None,
        "duration": summary.duration if summary else None,
        "resumable": state is checkpoints.RunState.INTERRUPTED,
    }


# What `runs list` says of a run without a summary, by its ``checkpoints.RunState``.
UNFINISHED_STATUS = {
    "finished": "unfinished",  # a summary that could not be read
    "running": "running",
    "interrupted": "interrupted",
    "failed": "failed",
    "unstarted": "unfinished",
}


def interrupted(workspace: Workspace) -> list[str]:
    """The runs of the workspace that `codepanel runs resume` can continue, oldest first."""
    from framework.run import checkpoints
    from framework.run.outcome import Status

    found = [info.run for info in list_runs(workspace)
             if not info.finished and checkpoints.state(info.run) is checkpoints.RunState.INTERRUPTED]  # fmt: skip
    for run in found:
        run.settle_statuses(Status.INTERRUPTED)  # their processes died with the review
    return [run.id for run in found]


def _requested(run: Run) -> str | None:
    try:
        data = read_json(run.request_path)
    except WorkspaceError:
        return None
    return data.get("repository") if isinstance(data, dict) else None


def started_at(run_id: str) -> float:
    """The time a run id was made (its first part is the UTC start)."""
    return float(calendar.timegm(time.strptime(run_id.split("-", 1)[0], "%Y%m%dT%H%M%SZ")))


def list_runs(workspace: Workspace) -> list[RunInfo]:
    """Every run of the workspace, oldest first."""
    runs = [RunInfo(workspace.run(run_id)) for run_id in workspace.runs()]
    # NOTE: run ids sort by the second they started in; within one second, by when their folder was made.
    return sorted(runs, key=lambda info: (info.started, _made(info.run.dir)))


def prune(workspace: Workspace, retention: Retention, keep: frozenset[str] = frozenset(), dry_run: bool = False) -> Pruned:
    """Delete the runs ``retention`` no longer keeps (but never those in ``keep``), then unused store files."""
    runs = list_runs(workspace)
    now = time.time()
    doomed = []
    finished = [info for info in runs if info.finished]
    if retention.max_runs is not None:
        doomed += [info for info in finished[: max(0, len(finished) - retention.max_runs)]]
    if retention.max_age_days is not None:
        cutoff = now - retention.max_age_days * 86_400
        doomed += [info for info in runs if info.started < cutoff and info not in doomed]
    doomed = [info for info in doomed if info.run.id not in keep]
    freed = 0
    for info in doomed:
        freed += _size(info.run.dir)
        if not dry_run:
            shutil.rmtree(info.run.dir, ignore_errors=True)
    store_files, store_bytes = (0, 0) if dry_run else collect_store(workspace.store_dir)
    return Pruned([info.run.id for info in doomed], store_files, freed + store_bytes)


def collect_store(store: Path) -> tuple[int, int]:
    """Delete the store's files that no run links to (a link count of one); returns how many and their bytes."""
    removed = freed = 0
    if not store.is_dir():
        return 0, 0
    for folder, _, names in os.walk(store):
        for name in names:
            path = os.path.join(folder, name)
            try:
                status = os.lstat(path)
                if status.st_nlink == 1:
                    os.unlink(path)
                    removed, freed = removed + 1, freed + status.st_size
            except OSError:
                continue
    return removed, freed


def _made(folder: Path) -> float:
    try:
        return folder.stat().st_ctime
    except OSError:
        return 0.0


def _size(folder: Path) -> int:
    """Bytes a folder holds that only it holds: hard-linked files still in the store are not counted."""
    total = 0
    for directory, _, names in os.walk(folder):
        for name in names:
            try:
                status = os.lstat(os.path.join(directory, name))
            except OSError:
                continue
            if status.st_nlink == 1:
                total += status.st_size
    return total
