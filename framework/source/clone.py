"""Cloning a git URL into a snapshot: shallow, bounded in time and size, read from the object database.

Nothing is checked out, so no hook, filter driver, symbolic link or submodule of the repository
ever runs or is followed.

Credentials in an http(s) URL (``https://user:token@host/...``) never reach git's command line,
where any local user could read them with ``ps``, nor the clone's ``.git/config``: git gets the
URL without them, and the credentials as an ``Authorization`` header set through its environment
(``GIT_CONFIG_COUNT``), for that host only. The clone folder is removed when the clone ends and
swept at the next clone after a crash (``framework.source.scratch``); on Linux, git is killed
when the review that started it dies.
"""

from __future__ import annotations

import base64
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from framework.config import SourceLimits
from framework.errors import SourceError
from framework.run.lifeline import die_with_parent
from framework.source import scratch
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
        "GIT_CONFIG_COUNT": "0",  # none of the caller's GIT_CONFIG_KEY_n
        "HOME": home,
    }


def split_credentials(url: str) -> tuple[str, dict[str, str]]:
    """``url`` without the credentials of an http(s) URL, and the environment that gives them to git.

    The header is what git itself would send for them (HTTP Basic), and only to the URL's scheme,
    host and port (``http.<url>.extraHeader``); git follows no redirect anyway.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or (parts.username is None and parts.password is None):
        return url, {}
    bare = redact(url)
    user, password = unquote(parts.username or ""), unquote(parts.password or "")
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    origin = urlunsplit((parts.scheme, urlsplit(bare).netloc, "/", "", ""))
    return bare, {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"http.{origin}.extraHeader",
        "GIT_CONFIG_VALUE_0": f"Authorization: Basic {token}",
    }


def clone(url: str, snapshot: Snapshot, limits: SourceLimits) -> dict[str, Any]:
    """Clone ``url`` shallow into a temporary directory and copy its HEAD tree into the snapshot."""
    import git  # GitPython: imported here so that reviewers never pay for it

    pin = vet_address(url, limits)
    bare_url, credentials = split_credentials(url)
    with scratch.clone_folder() as folder:
        checkout = folder / "repo"
        options = ["-c", f"http.curloptResolve={pin}"] if pin else []
        command = [
            "git", "-c", "core.hooksPath=" + os.devnull, "-c", "core.symlinks=false",
            "-c", "protocol.file.allow=always", "-c", "submodule.recurse=false",
            # A redirect could lead past the host allow-list and the address check.
            "-c", "http.followRedirects=false", *options,
            "clone", "--quiet", "--depth=1", "--single-branch", "--no-tags",
            "--no-checkout", "--no-recurse-submodules", "--", bare_url, str(checkout),
        ]  # fmt: skip
        try:
            env = {**git_environment(str(folder)), **credentials}
            # NOTE: git dies with the review's process, even a kill -9 of it (framework.run.lifeline).
            process = git.Git(folder).execute(command, as_process=True, env=env, preexec_fn=die_with_parent)
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
