"""Reusing a finished run: a re-review of an unchanged tree, with the same panel, is the run before.

A review's *key* digests what its results depend on, read from the file system's metadata rather
than from file contents, so that it costs a directory walk (milliseconds on pip's 500 files):

- the tree: every file's path, mode, size, inode, modification and change times, and the commit
  its checkout is on (``.git`` itself is not reviewed);
- the panel: the exact reviewers.yaml text, the selected reviewers, the request (reviewers, model,
  baseline, minimum confidence) and the baseline file's content;
- the code: codepanel's version and the same metadata for every source file of codepanel and of
  the loaded plugins, so that editing a plugin (or codepanel itself) reviews again;
- the ``CODEPANEL_*`` environment.

When a new review's key is that of an earlier run that finished ``ok`` (or ``empty``) and is still
in the workspace, that run is the answer: nothing is copied, fetched, analyzed or rendered. Only
offline reviews of a local directory, with the cache on and no ``--diff``, are keyed: an agent's
answers are not reproducible, a URL's content is not local, and a diff depends on git state.

NOTE: like git's index, a key could miss a change made within the same timestamp tick as the
change before it. So a run is remembered only if the key taken when it ends is the key it started
with, and no file changed within ``SETTLE_NS`` of that end ("racy"); otherwise the next review of
the tree runs in full.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from framework import __version__
from framework.config import ReviewerConfig
from framework.errors import WorkspaceError
from framework.panel import Panel
from framework.run.outcome import Status
from framework.run.request import RunRequest
from framework.run.workspace import Run, Workspace, read_json, write_json

KEY_FORMAT = 1
# A change this recent (in ns) may share its timestamp with the key: such a tree is not remembered.
SETTLE_NS = 50_000_000
# The run statuses whose results stand for the same tree again (not a timeout, not a failure).
REUSABLE = frozenset({Status.OK, Status.EMPTY})


@dataclass(frozen=True)
class Key:
    digest: str
    settled: bool  # False: some file changed too recently to trust its timestamps


def key_of(panel: Panel, request: RunRequest, selected: list[ReviewerConfig], workspace: Workspace) -> Key | None:
    """The review's key, or None for a review whose results cannot be reused."""
    root = Path(request.repository)
    if not request.cache or request.diff is not None or not all(entry.model.offline for entry in selected):
        return None
    if not root.is_dir():
        return None  # a URL: its content is not here to look at
    taken = time.time_ns()
    digest = hashlib.sha256()
    newest = 0

    def feed(*parts: object) -> None:
        digest.update(json.dumps(parts, default=str).encode())
        digest.update(b"\0")

    feed("codepanel", KEY_FORMAT, __version__, sys.version)
    feed("config", panel.config_text)
    feed("selected", [entry.model_dump(mode="json") for entry in selected])
    feed("request", request.model_dump(mode="json", exclude={"run_id", "started", "workspace"}))
    feed("environment", sorted((name, value) for name, value in os.environ.items() if name.startswith("CODEPANEL_")))
    if request.baseline:
        baseline = root / request.baseline if not Path(request.baseline).is_absolute() else Path(request.baseline)
        feed("baseline", _content(baseline))
    for folder in _code_folders(panel):
        for entry, _ in _walk(folder, skip=set(), suffix=".py"):
            feed(*entry)
    skip = {os.path.realpath(workspace.root)}
    for entry, changed in _walk(root, skip=skip):
        feed(*entry)
        newest = max(newest, changed)
    feed("commit", *_head(root))
    return Key(digest.hexdigest(), settled=newest < taken - SETTLE_NS)


def earlier_run(workspace: Workspace, key: Key) -> tuple[Run, dict] | None:
    """The finished run of this very key still in the workspace, with its summary as read, if any."""
    try:
        recorded = read_json(_index(workspace) / f"{key.digest}.json")
        run = workspace.run(recorded["run_id"])
        summary = read_json(run.summary_path)
    except (WorkspaceError, KeyError, TypeError, ValueError):
        return None
    if summary is None or summary.get("status") not in REUSABLE or not (run.dir / "findings.json").is_file():
        return None
    return run, summary


def remember(workspace: Workspace, started: Key, ended: Key | None, run_id: str, status: Status) -> None:
    """Record that ``run_id`` answers its key, if the tree stayed as it was from start to end.

    ``started`` and ``ended`` are the review's key taken before and after it ran: a tree that
    changed meanwhile, or whose newest change is too recent to trust (racy), is not recorded, nor
    is a run that did not finish ``ok``.
    """
    if ended is None or ended.digest != started.digest or not ended.settled or status not in REUSABLE:
        return
    try:
        write_json(_index(workspace) / f"{started.digest}.json", {"run_id": run_id, "recorded": time.time()})
    except OSError:
        pass  # a speed-up only: a workspace that cannot take it reviews in full next time


def _index(workspace: Workspace) -> Path:
    return workspace.root / "cache" / "runs"


def _code_folders(panel: Panel) -> list[Path]:
    """Where codepanel's and the loaded plugins' code lives: a package's folder, or a module's file."""
    folders = {Path(__file__).resolve().parents[1]}
    for name in panel.plugins.modules:
        own = getattr(sys.modules.get(name), "__file__", None)
        top = getattr(sys.modules.get(name.split(".")[0]), "__file__", None)
        if own:  # a module in a regular package: the whole package, else the module's own file
            folders.add(Path(top).resolve().parent if top and top.endswith("__init__.py") else Path(own).resolve())
    return sorted(folders)


def _walk(root: Path, skip: set[str], suffix: str = "") -> Iterable[tuple[tuple[object, ...], int]]:
    """Each file's metadata under ``root`` (symbolic links not followed), with its newest timestamp."""
    if root.is_file():
        yield _entry(str(root), root.lstat())
        return
    for folder, directories, files in os.walk(root):
        directories[:] = sorted(
            name for name in directories
            if name not in (".git", "__pycache__") and os.path.realpath(os.path.join(folder, name)) not in skip
        )  # fmt: skip
        relative = os.path.relpath(folder, root)
        for name in sorted(files):
            if suffix and not name.endswith(suffix):
                continue
            try:
                status = os.lstat(os.path.join(folder, name))
            except OSError:
                continue
            yield _entry(os.path.join(relative, name), status)


def _entry(name: str, status: os.stat_result) -> tuple[tuple[object, ...], int]:
    changed = max(status.st_mtime_ns, status.st_ctime_ns)
    return (name, status.st_mode, status.st_size, status.st_ino, status.st_mtime_ns, status.st_ctime_ns), changed


def _head(root: Path) -> tuple[str, ...]:
    """The checkout's HEAD and the commit it names (a loose ref, or packed-refs' metadata)."""
    git = root / ".git"
    if git.is_file():  # a worktree or submodule: "gitdir: PATH"
        try:
            git = root / git.read_text(encoding="utf-8").removeprefix("gitdir:").strip()
        except OSError:
            return ()
    try:
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        return ()
    if not head.startswith("ref: "):
        return (head,)
    ref = head[5:]
    try:
        return head, (git / ref).read_text(encoding="utf-8").strip()
    except OSError:
        packed = _content(git / "packed-refs")
        return head, packed


def _content(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "absent"
