"""Temporary clone folders: removed when the clone is done, and swept at the next clone after a crash.

Each folder lives in this user's own ``codepanel-clones-UID`` folder of the system's temporary
directory (mode 0700, refused if someone else owns it or it is a link), beside a lock file that
its clone holds for as long as it runs. The sweep removes every folder whose lock nobody holds:
its process is gone (kill -9, a crash, a reboot). Creating a folder and sweeping take one more
lock, so that a sweep never takes a folder whose lock is not held yet; a running clone's folder
is never swept.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from framework.errors import SourceError

try:
    import fcntl
except ImportError:  # Windows: no sweep, the folders are still removed when a clone ends
    fcntl = None  # type: ignore[assignment]

PREFIX = "clone-"


def parent() -> Path:
    """This user's folder for clones, made if missing; refused if it is not safely this user's."""
    uid = os.getuid() if hasattr(os, "getuid") else None
    folder = Path(tempfile.gettempdir()) / (f"codepanel-clones-{uid}" if uid is not None else "codepanel-clones")
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(folder)
    except OSError as error:
        raise SourceError(f"cannot make the clone folder {folder}: {error.strerror or error}") from None
    if not stat.S_ISDIR(info.st_mode) or (uid is not None and (info.st_uid != uid or info.st_mode & 0o077)):
        raise SourceError(f"{folder} is not a private folder of this user: remove it, or set TMPDIR elsewhere")
    return folder


@contextlib.contextmanager
def clone_folder() -> Iterator[Path]:
    """A new empty folder for one clone, held locked while in use and removed afterwards."""
    root = parent()
    name = PREFIX + secrets.token_hex(8)
    folder, lock_path = root / name, root / f"{name}.lock"
    with _locked(root / "sweep.lock"):
        sweep(root)
        lock = os.open(lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        folder.mkdir(mode=0o700)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            lock_path.unlink()
        os.close(lock)


def sweep(root: Path) -> list[str]:
    """Remove the clone folders (and their locks) that no running clone holds; returns their names.

    Call it holding ``sweep.lock``.
    """
    if fcntl is None:
        return []
    swept = []
    for entry in root.iterdir():
        if not entry.name.startswith(PREFIX):
            continue
        if entry.name.endswith(".lock"):
            if _held(entry):
                continue
            folder = entry.with_name(entry.name.removesuffix(".lock"))
            shutil.rmtree(folder, ignore_errors=True)
            with contextlib.suppress(OSError):
                entry.unlink()
            swept.append(folder.name)
        elif entry.is_dir() and not entry.with_name(entry.name + ".lock").exists():
            shutil.rmtree(entry, ignore_errors=True)  # its lock went, then the removal was cut short
            swept.append(entry.name)
    return swept


def _held(lock_path: Path) -> bool:
    try:
        lock = os.open(lock_path, os.O_RDONLY)
    except OSError:
        return True  # gone already, or not ours to judge
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(lock)  # closing releases the lock taken just now
    return False


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    handle = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)
