"""Running ruff on the files of one scope: its vetted configuration, overrides, a bare environment,
batches, and bounds on what one ruff process may take.

A file of the repository can make ruff blow up: a function of a hundred thousand statements drives
it to tens of gigabytes, a few kilobytes of nested calls overflow its stack. So each ruff process
gets a cap on its address space and a time bound, and a batch that fails is cut in two until the
file(s) that made it fail are found; those are skipped with the reason, and the rest is reviewed.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import subprocess
import time
from pathlib import Path
from typing import Any

from framework import PathRefused, SourceTree

try:
    import resource
except ImportError:  # Windows: no address-space cap
    resource = None  # type: ignore[assignment]
from reviewers.style.ruff_config import Scope

RUFF_BATCH = 2000
# All ruff gets of the environment: no secret it could expand into a message, none of the RUFF_*
# variables (RUFF_CACHE_DIR, RUFF_OUTPUT_FILE...), no HOME or XDG_CONFIG_HOME for a user's config.
RUFF_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR", "TEMP", "TMP")
# One ruff process's address space. Ordinary code takes ruff well under 200 MB, a 20 MB batch included.
RUFF_MEMORY_BYTES = 1536 * 2**20
# One ruff process's time: this much, plus a second per RUFF_BYTES_PER_SECOND of its files (ruff
# checks more than ten times as fast on two busy cores).
RUFF_SECONDS = 10.0
RUFF_BYTES_PER_SECOND = 1_000_000
# What finding the files that make a batch fail may take: ruff runs, and seconds spent in runs that
# failed (a file that hangs ruff costs a time bound each time); past either, the batch is skipped.
MAX_ISOLATING_RUNS = 64
MAX_FAILING_SECONDS = 120.0


class RuffFailed(Exception):
    """ruff refused to run: most often a configuration it refuses."""


class RuffCrashed(Exception):
    """ruff died on the files it was given (out of memory, out of stack, out of time, or a panic)."""


def run_ruff(
    tree: SourceTree, scope: Scope, folder: Path, select: list[str] | None, ignore: list[str] | None,
    line_length: int | None,
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """ruff's JSON for ``scope``'s files, with its configuration (written into ``folder``) and these
    overrides; and the files it was not given back, as ``{"path", "reason"}``."""
    from ruff.__main__ import find_ruff_bin

    folder.mkdir()
    command = [
        find_ruff_bin(), "check", "--output-format=json", "--exit-zero", "--no-cache", "--no-fix",
        "--force-exclude", f"--config={scope.write(folder)}",
    ]  # fmt: skip
    if select is not None:
        command.append(f"--select={','.join(select)}")
    if ignore:
        command.append(f"--ignore={','.join(ignore)}")
    if line_length is not None:
        command.append(f"--line-length={line_length}")
    ruff = BoundedRuff(command, tree.resolve(scope.folder) if scope.folder else tree.root)
    relative = {posixpath.relpath(path, scope.folder) if scope.folder else path: path for path in scope.files}
    sizes = {name: _size(tree, path) for name, path in relative.items()}
    items: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    # In batches, so that tens of thousands of paths never overflow the command line.
    names = list(relative)
    pending = [names[start : start + RUFF_BATCH] for start in range(0, len(names), RUFF_BATCH)]
    isolating = 0
    while pending:
        batch = pending.pop(0)
        try:
            items.extend(ruff.check(batch, sum(sizes[name] for name in batch)))
        except RuffCrashed as crash:
            if len(batch) == 1:
                skipped.append({"path": relative[batch[0]], "reason": str(crash)})
            elif isolating >= MAX_ISOLATING_RUNS or ruff.failing_seconds >= MAX_FAILING_SECONDS:
                reason = f"ruff failed on the {len(batch)} files checked with it ({crash}); not isolated further"
                skipped.extend({"path": relative[name], "reason": reason} for name in batch)
            else:
                isolating += 2
                middle = len(batch) // 2
                pending[:0] = [batch[:middle], batch[middle:]]
    return items, skipped


class BoundedRuff:
    """ruff in a bare environment, capped in memory and time, told apart: refused or crashed."""

    def __init__(self, command: list[str], cwd: Path):
        self.command = command
        self.cwd = cwd
        self.env = {key: os.environ[key] for key in RUFF_ENVIRONMENT if key in os.environ}
        self.failing_seconds = 0.0  # spent in runs that crashed
        self.memory = address_space_cap(RUFF_MEMORY_BYTES)

    def check(self, paths: list[str], size: int) -> list[dict[str, Any]]:
        started = time.monotonic()
        try:
            return self._run(paths, size)
        except RuffCrashed:
            self.failing_seconds += time.monotonic() - started
            raise

    def _run(self, paths: list[str], size: int) -> list[dict[str, Any]]:
        seconds = RUFF_SECONDS + size / RUFF_BYTES_PER_SECOND
        try:
            completed = subprocess.run(
                [*self.command, "--", *paths], cwd=self.cwd, env=self.env, capture_output=True,
                timeout=seconds, check=False, preexec_fn=self._cap_memory if self.memory else None,
            )  # fmt: skip
        except subprocess.TimeoutExpired:  # subprocess.run killed it
            raise RuffCrashed(f"ruff took longer than {seconds:.0f} s") from None
        stderr = completed.stderr.decode(errors="replace")
        if completed.returncode == 2:  # ruff's own "could not run": a configuration, an option
            raise RuffFailed(_cause(stderr))
        if completed.returncode != 0:
            raise RuffCrashed(_crash(completed.returncode, stderr, self.memory))
        try:
            return json.loads(completed.stdout or b"[]")
        except ValueError:
            raise RuffCrashed("ruff wrote no readable result") from None

    def _cap_memory(self) -> None:
        """Cap the address space; runs in the child between fork and exec, so it does nothing else."""
        if self.memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (self.memory, resource.getrlimit(resource.RLIMIT_AS)[1]))


def address_space_cap(limit: int) -> int | None:
    """``limit``, or the lower cap already in place (a reviewer's ``memory:``); None without rlimits."""
    if resource is None:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    return min(value for value in (limit, soft, hard) if value != resource.RLIM_INFINITY)


def _crash(code: int, stderr: str, memory: int | None) -> str:
    """Why ruff died, in a few words."""
    if "memory allocation" in stderr or "out of memory" in stderr.lower() or code == -9:
        cap = f" (it may use {memory // 2**20} MB)" if memory is not None else ""
        return f"ruff ran out of memory{cap}"
    if "overflowed its stack" in stderr:
        return "ruff overflowed its stack (code nested too deep)"
    if code < 0:
        return f"ruff was killed by signal {-code}"
    return f"ruff crashed (exit status {code})"


def _size(tree: SourceTree, path: str) -> int:
    try:
        return tree.resolve(path).stat().st_size
    except (OSError, PathRefused):
        return 0


def _cause(stderr: str) -> str:
    """ruff's reason, without the temporary files' names."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip().startswith("Cause:")]
    text = " ".join(line.removeprefix("Cause:").strip() for line in lines[-2:]) or stderr.strip()[-300:]
    return re.sub(r"`?/[^`\s]*codepanel-ruff-[^`\s]*`?", "(its copy)", text)[:300]
