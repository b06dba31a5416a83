"""Cloning a git URL into a snapshot: shallow, bounded in time and size, read from the object database.

Nothing is checked out, so no hook, filter driver, symbolic link or submodule of the repository
ever runs or is followed.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from framework.config import SourceLimits
from framework.errors import SourceError
from framework.run.lifeline import die_with_parent
from framework.source.policy import redact, redact_text, vet_address
from framework.source.snapshot import MAX_DEPTH, Snapshot


def git_environment(home: str) -> dict[str, str]:
    """An environment in which git reads no user or system config, asks nothing, runs no helpers."""
    return {
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "true",
        "SSH_ASKPASS": "true",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_ALLOW_PROTOCOL": "https:http:ssh:file",
        "GIT_LFS_SKIP_SMUDGE": "1",
        "HOME": home,
    }


def clone(url: str, snapshot: Snapshot, limits: SourceLimits) -> dict[str, Any]:
    """Clone ``url`` shallow into a temporary directory and copy its HEAD tree into the snapshot."""
    import git  # GitPython: imported here so that reviewers never pay for it

    pin = vet_address(url, limits)
    with tempfile.TemporaryDirectory(prefix="codepanel-clone-") as scratch:
        checkout = Path(scratch) / "repo"
        options = ["-c", f"http.curloptResolve={pin}"] if pin else []
        command = [
            "git", "-c", "core.hooksPath=" + os.devnull, "-c", "core.symlinks=false",
            "-c", "protocol.file.allow=always", "-c", "submodule.recurse=false",
            # A redirect could lead past the host allow-list and the address check.
            "-c", "http.followRedirects=false", *options,
            "clone", "--quiet", "--depth=1", "--single-branch", "--no-tags",
            "--no-checkout", "--no-recurse-submodules", "--", url, str(checkout),
        ]  # fmt: skip
        try:
            # NOTE: git dies with the review's process, even a kill -9 of it (framework.run.lifeline).
            process = git.Git(scratch).execute(
                command, as_process=True, env=git_environment(scratch), preexec_fn=die_with_parent
            )
        except git.GitCommandNotFound:
            raise SourceError("cloning needs the git command, which is not installed") from None
        _wait_bounded(process.proc, checkout, limits, url)
        repo = git.Repo(checkout)
        try:
            commit = repo.head.commit
            _copy_tree(commit.tree, snapshot)
            return {"commit": commit.hexsha}
        except ValueError as error:  # an empty repository has no HEAD commit
            raise SourceError(f"{redact(url)}: nothing to review ({error})") from None
        finally:
            repo.close()


def _wait_bounded(process, checkout: Path, limits: SourceLimits, url: str) -> None:
    """Wait for the clone; kill it past clone_timeout or when it grows past the size limit."""
    deadline = time.monotonic() + limits.clone_timeout
    budget = 2 * limits.max_total_bytes
    while process.poll() is None:
        time.sleep(0.1)
        problem = None
        if time.monotonic() > deadline:
            problem = f"clone took longer than clone_timeout ({limits.clone_timeout} s)"
        elif _tree_bytes(checkout) > budget:
            problem = f"clone grew past twice max_total_bytes ({budget} bytes)"
        if problem:
            process.kill()
            process.wait()
            raise SourceError(f"{redact(url)}: {problem}")
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.returncode != 0:
        reason = " ".join(stderr.split()) or f"git exited with status {process.returncode}"
        raise SourceError(f"{redact(url)}: clone failed: {redact_text(reason, url)}")


def _tree_bytes(path: Path) -> int:
    total = 0
    for directory, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(directory, name)).st_size
            except OSError:
                pass
    return total


GIT_SYMLINK_MODE = 0o120000
GIT_SUBMODULE_MODE = 0o160000


def _copy_tree(tree, snapshot: Snapshot) -> None:
    entries: list[tuple[str, Any]] = []
    _collect_tree(tree, 0, entries, snapshot)
    for path, blob in sorted(entries, key=lambda item: item[0]):
        if snapshot.admit(path, blob.size):
            snapshot.add(path, blob.data_stream.read())


def _collect_tree(tree, depth: int, entries: list, snapshot: Snapshot) -> None:
    for item in tree:
        path = item.path  # NOTE: not item.name, which GitPython cannot give for a submodule
        if item.type == "tree":
            if depth + 1 >= MAX_DEPTH:
                snapshot.skip(path + "/", f"nested deeper than {MAX_DEPTH} directories")
            else:
                _collect_tree(item, depth + 1, entries, snapshot)
        elif item.mode == GIT_SUBMODULE_MODE or item.type == "submodule":
            snapshot.skip(path, "submodule (not fetched)")
        elif item.mode == GIT_SYMLINK_MODE:
            snapshot.skip(path, "symbolic link")
        else:
            entries.append((path, item))
