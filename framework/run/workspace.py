"""The shared workspace: a directory (the S3 Files mount on AWS), and its documented layout.

    <workspace>/
      config/reviewers.yaml        the config `codepanel deploy` publishes (AWS); a run starts from it
      cache/                       analyzer results by content (framework.cache)
      runs/<run-id>/
        reviewers.yaml             the run's own copy of its config: every stage of the run reads it
        request.json               what was asked: repository, reviewers, model
        execution.db               local runs: the durable execution's checkpoints (framework.run.checkpoints)
        source/                    the source snapshot under review
        manifest.json              files included and skipped, with reasons
        status/<reviewer>.json     progress: running, ok, failed, timed_out
        results/<reviewer>.json    one results file per reviewer
        logs/<reviewer>.log        what a local reviewer process printed
        summary.json               counts, statuses, durations, usage
        findings.json              every finding, suppressed and baseline ones marked
        report.md, report.sarif, report.html   the reports

Every JSON file is written atomically (a temporary file, then a rename), so a reader never sees
half a file.
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import shutil
import stat
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from framework import environment
from framework.errors import WorkspaceError

if TYPE_CHECKING:
    from framework.config import Config

DEFAULT_WORKSPACE = ".codepanel"
RUN_ID_PATTERN = re.compile(r"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}$")
# The temporary files of ``write_atomic`` (mkstemp adds 8 characters), which a kill can leave behind.
TEMPORARY_PATTERN = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
# A review needs at least this much free space in the workspace to start.
MIN_FREE_BYTES = 64 * 1024 * 1024


def new_run_id() -> str:
    """Sortable by start time, unique thanks to 32 random bits."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(4)


def write_atomic(path: Path, data: bytes | str, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part.

    The file is private to its owner (0600) unless ``mode`` says otherwise: files a user keeps in
    a project (a scaffolded reviewer, a baseline, the template) are written 0644. A ``path`` that
    is not a file (``-o /dev/null``, a FIFO) is written in place: a rename would replace the device.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        kind = path.lstat().st_mode
    except FileNotFoundError:
        kind = stat.S_IFREG
    if not (stat.S_ISREG(kind) or stat.S_ISLNK(kind) or stat.S_ISDIR(kind)):
        with open(path, "wb") as handle:
            handle.write(data)
        return
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def write_json(path: Path, data: Any) -> None:
    write_atomic(path, json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False) + "\n")


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WorkspaceError(f"{path}: no such file") from None
    except (OSError, ValueError) as error:
        raise WorkspaceError(f"{path}: unreadable: {error}") from None


class Workspace:
    def __init__(self, root: str | os.PathLike[str] | None = None):
        root = root or environment.workspace() or DEFAULT_WORKSPACE
        self.root = Path(root).absolute()

    @property
    def store_dir(self) -> Path:
        """The content-addressed store that runs' source snapshots hard-link their files from."""
        return self.root / "store"

    @property
    def config_path(self) -> Path:
        return self.root / "config" / "reviewers.yaml"

    def publish_config(self, text: str) -> Path:
        write_atomic(self.config_path, text)
        return self.config_path

    def read_config_text(self) -> str:
        try:
            return self.config_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise WorkspaceError(
                f"{self.config_path}: no reviewer config is published in the workspace "
                "(`codepanel deploy` publishes it on AWS; `codepanel review` does it locally)"
            ) from None

    def published_config(self) -> Config:
        """The published reviewers.yaml, parsed (once per process: see ``framework.config.parse``)."""
        from framework import config

        return config.parse(self.read_config_text(), str(self.config_path))

    def check_writable(self) -> None:
        """A one-line error now, rather than a failed review later: the workspace is missing, read-only or full."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            write_atomic(self.root / ".codepanel-probe", b"ok")
            (self.root / ".codepanel-probe").unlink()
            free = shutil.disk_usage(self.root).free
        except OSError as error:
            reason = "the disk is full" if error.errno == errno.ENOSPC else (error.strerror or str(error))
            raise WorkspaceError(f"workspace {self.root} is not writable: {reason}") from None
        if free < MIN_FREE_BYTES:
            raise WorkspaceError(f"workspace {self.root}: the disk is full ({free // (1024 * 1024)} MB free, "
                                 f"a review needs {MIN_FREE_BYTES // (1024 * 1024)} MB)")  # fmt: skip

    def clean_temporary(self, keep: frozenset[str] = frozenset(), older_than: float = 600) -> int:
        """Delete what interrupted atomic writes left: in the runs not in ``keep``, and old ones elsewhere.

        A run's ``source/`` is never looked into: its files are the repository's own. A run's
        temporary files younger than a minute are left too: a run just made may not be locked yet.
        """
        removed = 0
        folders = [(self.root / "cache", older_than), (self.root / "config", older_than)]
        for run_id in self.runs():
            if run_id not in keep:
                run = Run(self, run_id)
                folders += [(run.dir / name, 60.0) for name in ("", "status", "results", "logs")]
        now = time.time()
        for folder, age in folders:
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                try:
                    if TEMPORARY_PATTERN.match(entry.name) and entry.is_file(follow_symlinks=False) \
                            and now - entry.stat(follow_symlinks=False).st_mtime >= age:
                        os.unlink(entry.path)
                        removed += 1
                except OSError:
                    continue
        return removed

    def run(self, run_id: str) -> Run:
        if not RUN_ID_PATTERN.match(run_id or ""):
            raise WorkspaceError(f"invalid run id {run_id!r}")
        return Run(self, run_id)

    def runs(self) -> list[str]:
        runs_dir = self.root / "runs"
        if not runs_dir.is_dir():
            return []
        return sorted(entry.name for entry in runs_dir.iterdir() if RUN_ID_PATTERN.match(entry.name))


class Run:
    """One review inside the workspace: ``runs/<run-id>/``."""

    def __init__(self, workspace: Workspace, run_id: str):
        self.workspace = workspace
        self.id = run_id
        self.dir = workspace.root / "runs" / run_id

    @property
    def source_dir(self) -> Path:
        return self.dir / "source"

    @property
    def manifest_path(self) -> Path:
        return self.dir / "manifest.json"

    @property
    def request_path(self) -> Path:
        return self.dir / "request.json"

    @property
    def summary_path(self) -> Path:
        return self.dir / "summary.json"

    @property
    def config_path(self) -> Path:
        """The run's own copy of reviewers.yaml, so that a run never reads another run's config."""
        return self.dir / "reviewers.yaml"

    def config(self) -> Config:
        """The run's config, parsed (once per process: see ``framework.config.parse``)."""
        from framework import config

        try:
            text = self.config_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise WorkspaceError(f"{self.config_path}: the run has no copy of its config") from None
        except OSError as error:
            raise WorkspaceError(f"{self.config_path}: unreadable: {error}") from None
        return config.parse(text, str(self.config_path))

    def results_path(self, reviewer: str) -> Path:
        return self.dir / "results" / f"{reviewer}.json"

    def status_path(self, reviewer: str) -> Path:
        return self.dir / "status" / f"{reviewer}.json"

    def log_path(self, reviewer: str) -> Path:
        return self.dir / "logs" / f"{reviewer}.log"

    def create(self) -> Run:
        try:
            self.dir.mkdir(parents=True, exist_ok=False)
        except FileExistsError:
            raise WorkspaceError(f"run {self.id} already exists in {self.workspace.root}") from None
        return self

    def exists(self) -> bool:
        return self.dir.is_dir()

    def manifest(self) -> dict[str, Any]:
        return read_json(self.manifest_path)

    def set_status(self, reviewer: str, status: str, **extra: Any) -> None:
        write_json(self.status_path(reviewer), {"reviewer": reviewer, "status": status, **extra})

    def settle_statuses(self, status: str, **extra: Any) -> None:
        """Give every reviewer still marked running ``status``: its process is gone, whatever it wrote."""
        for name, state in self.statuses().items():
            if state.get("status") == "running":
                try:
                    self.set_status(name, status, **extra)
                except OSError:
                    pass

    def statuses(self) -> dict[str, dict[str, Any]]:
        status_dir = self.dir / "status"
        found: dict[str, dict[str, Any]] = {}
        if status_dir.is_dir():
            for path in sorted(status_dir.glob("*.json")):
                try:
                    found[path.stem] = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
        return found

    def relative(self, path: Path) -> str:
        return path.relative_to(self.workspace.root).as_posix()
