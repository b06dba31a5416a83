"""Fetching the repository under review into a run: a local directory or a git URL.

The repository is untrusted. A local directory is copied file by file without following a
single symbolic link; a git repository is cloned shallow and then read straight from its object
database, so nothing is checked out: no hooks, no filter drivers, no symlinks, no submodules.
Both paths go through one ``Snapshot`` that enforces the limits and records every skipped file.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from framework.config import SourceLimits
from framework.environment import running_on_lambda
from framework.source import credentials
from framework.source.policy import classify, non_public, redact, vet_address
from framework.source.snapshot import Snapshot

__all__ = ["classify", "fetch", "non_public", "redact", "vet_address"]


def fetch(
    target: str,
    dest: Path,
    limits: SourceLimits,
    allow_local: bool | None = None,
    store: Path | None = None,
    excluded: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Fetch ``target`` (a directory or a git URL) into ``dest``; returns the manifest.

    ``store`` is the workspace's content-addressed store (files are hard-linked from it);
    ``excluded`` maps real paths that are never snapshotted (codepanel's own state) to the reason.
    """
    if allow_local is None:
        allow_local = not running_on_lambda()
    target = credentials.restore(target)
    started = time.monotonic()
    dest.mkdir(parents=True, exist_ok=False)
    snapshot = Snapshot(dest, limits, store, {os.path.realpath(path): why for path, why in (excluded or {}).items()})
    kind = classify(target, limits, allow_local)
    if kind == "directory":
        root = Path(target).expanduser().resolve()
        # Imported when used: a run that the run before answers (framework.run.reuse) needs neither.
        from framework.source.directory import copy_directory

        copy_directory(root, snapshot)
        facts = {"repository": str(root), "kind": "directory"}
    else:
        from framework.source.clone import clone

        facts = {"repository": redact(target), "kind": "git", **clone(target, snapshot, limits)}
    manifest = snapshot.manifest(**facts)
    manifest["seconds"] = round(time.monotonic() - started, 3)
    return manifest
