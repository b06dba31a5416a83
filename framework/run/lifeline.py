"""Processes of a local review die with it: reviewer process groups, their pool workers, git.

- Each reviewer process leads a process group of its own. ``guard_group`` forks a small watcher
  into that group, which kills the whole group (pool workers, ruff, the watcher itself) as soon
  as the review's *lifeline* pipe closes or the reviewer process dies. The review holds the only
  write end of the lifeline, so the kernel closes it however the review ends, ``kill -9``
  included. The watcher needs nothing from the reviewer (no thread, no lock), so a reviewer busy
  in C code cannot delay it.
- A helper such as git that the review runs itself gets ``die_with_parent`` as ``preexec_fn``:
  the kernel kills it when the review's process goes.
- When the review is stopped (Ctrl-C, SIGTERM), ``kill_descendants`` ends what is left.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import signal
import sys
import time

_PR_SET_PDEATHSIG = 1


def _load_prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


# Resolved now, in the parent: a preexec_fn must do as little as possible between fork and exec.
_PRCTL = _load_prctl()


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent goes (Linux; a no-op elsewhere)."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)


class Lifeline:
    """A pipe whose write end only the review holds: its read end sees EOF when the review ends."""

    def __init__(self) -> None:
        self.read_fd, self.write_fd = os.pipe()
        os.set_inheritable(self.read_fd, False)
        os.set_inheritable(self.write_fd, False)

    def close(self) -> None:
        for fd in (self.read_fd, self.write_fd):
            try:
                os.close(fd)
            except OSError:
                pass


def guard_group(lifeline_fd: int | None) -> None:
    """Fork the watcher of this process's group (see the module's docstring); returns in the caller.

    Call it first thing in a process started with ``start_new_session=True``.
    """
    if lifeline_fd is None or not hasattr(os, "fork"):
        return
    watched = os.getpid()
    alive = _pidfd(watched)
    if os.fork() != 0:
        if alive is not None:
            os.close(alive)
        return
    try:  # the watcher: keep nothing of the reviewer's open but what it watches
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        keep = {fd for fd in (lifeline_fd, alive) if fd is not None}
        _close_all_but(keep | {0, 1, 2})
        _watch(lifeline_fd, alive, watched)
    finally:
        try:
            os.killpg(os.getpgid(0), signal.SIGKILL)
        finally:
            os._exit(0)


def _watch(lifeline_fd: int, alive: int | None, watched: int) -> None:
    """Return when the lifeline closes (EOF, or it is gone) or the watched process has died."""
    watched_fds = [lifeline_fd] + ([alive] if alive is not None else [])
    while True:
        try:
            ready, _, _ = select.select(watched_fds, [], [], None if alive is not None else 0.2)
        except InterruptedError:
            continue
        except (OSError, ValueError):
            return
        if lifeline_fd in ready:
            try:
                if not os.read(lifeline_fd, 1):
                    return
            except OSError:
                return
        if alive is not None and alive in ready:
            return
        if alive is None and os.getppid() != watched:  # no pidfd: the watched parent has died
            return


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _close_all_but(keep: set[int]) -> None:
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        fds = list(range(3, 256))
    for fd in fds:
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def kill_group(pid: int) -> None:
    """SIGKILL the process group that ``pid`` leads (its members outlive it until this)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def descendants(pid: int | None = None) -> list[int]:
    """The living descendants of ``pid`` (default: this process), read from /proc (Linux)."""
    pid = os.getpid() if pid is None else pid
    children: dict[int, list[int]] = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return []
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The command name is in parentheses and may hold anything: the fields follow the last ')'.
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) > 1 and fields[0] != b"Z":
            children.setdefault(int(fields[1]), []).append(int(name))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def kill_descendants(pid: int | None = None, rounds: int = 3) -> None:
    """SIGKILL every descendant of ``pid`` (default: this process); again for those forked meanwhile."""
    for _ in range(rounds):
        found = descendants(pid)
        if not found:
            return
        for child in found:
            try:
                os.kill(child, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.01)
