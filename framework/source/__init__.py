"""Fetching the repository under review into a run: a local directory or a git URL.

The repository is untrusted. A local directory is copied file by file without following a
single symbolic link; a git repository is cloned shallow and then read straight from its object
database, so nothing is checked out: no hooks, no filter drivers, no symlinks, no submodules.
Both paths go through one ``Snapshot`` that enforces the limits and records every skipped file.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from framework.config import SourceLimits
from framework.errors import SourceError
from framework.source.ignore import IgnoreRules
from framework.run.workspace import running_on_lambda

MAX_DEPTH = 64
BINARY_SNIFF_BYTES = 8192
ALWAYS_SKIPPED_DIRS = {".git", ".hg", ".svn"}
# Directories of build artefacts: listed once in the manifest, never copied.
# NOTE: ".codepanel" is the default workspace: `codepanel review .` must not snapshot its own runs.
ARTEFACT_DIRS = {"__pycache__": "compiled Python cache", "node_modules": "installed npm packages",
                 ".codepanel": "codepanel's workspace"}  # fmt: skip


@dataclass
class Snapshot:
    """Copies accepted files into ``dest`` within the limits, and keeps the manifest."""

    dest: Path
    limits: SourceLimits
    included: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    total_bytes: int = 0

    def skip(self, path: str, reason: str) -> None:
        self.skipped.append({"path": path, "reason": reason})

    def admit(self, path: str, size: int) -> bool:
        """Whether a file of ``size`` bytes may be added; records why not."""
        if problem := unsafe_name(path):
            self.skip(_printable(path), problem)
        elif size > self.limits.max_file_bytes:
            self.skip(path, f"larger than max_file_bytes ({size} > {self.limits.max_file_bytes} bytes)")
        elif len(self.included) >= self.limits.max_files:
            self.skip(path, f"file count limit reached (max_files={self.limits.max_files})")
        elif self.total_bytes + size > self.limits.max_total_bytes:
            self.skip(path, f"total size limit reached (max_total_bytes={self.limits.max_total_bytes})")
        else:
            return True
        return False

    def add(self, path: str, data: bytes) -> None:
        if b"\0" in data[:BINARY_SNIFF_BYTES]:
            self.skip(path, "binary file")
            return
        target = self.dest.joinpath(*path.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as handle:
            handle.write(data)
        self.included.append({"path": path, "bytes": len(data)})
        self.total_bytes += len(data)

    def manifest(self, **facts: Any) -> dict[str, Any]:
        return {
            **facts,
            "included": self.included,
            "skipped": self.skipped,
            "totals": {
                "files": len(self.included),
                "bytes": self.total_bytes,
                "skipped": len(self.skipped),
            },
        }


def fetch(target: str, dest: Path, limits: SourceLimits, allow_local: bool | None = None) -> dict[str, Any]:
    """Fetch ``target`` (a directory or a git URL) into ``dest``; returns the manifest."""
    if allow_local is None:
        allow_local = not running_on_lambda()
    started = time.monotonic()
    dest.mkdir(parents=True, exist_ok=False)
    snapshot = Snapshot(dest, limits)
    kind = classify(target, limits, allow_local)
    if kind == "directory":
        root = Path(target).expanduser().resolve()
        copy_directory(root, snapshot)
        facts = {"repository": str(root), "kind": "directory"}
    else:
        facts = {"repository": redact(target), "kind": "git", **clone(target, snapshot, limits)}
    manifest = snapshot.manifest(**facts)
    manifest["seconds"] = round(time.monotonic() - started, 3)
    return manifest


def classify(target: str, limits: SourceLimits, allow_local: bool) -> str:
    """'directory' or 'git'; raises SourceError for what policy refuses."""
    parts = urlsplit(target)
    if parts.scheme in ("", "file") or (len(parts.scheme) == 1 and os.name == "nt"):
        if not allow_local:
            raise SourceError(f"local sources are refused here: {redact(target)}")
        if parts.scheme == "file":
            return "git"
        path = Path(target).expanduser()
        if not path.exists():
            raise SourceError(f"{target}: no such directory")
        if not path.is_dir():
            raise SourceError(f"{target}: not a directory")
        return "directory"
    if parts.scheme not in limits.allowed_schemes:
        raise SourceError(
            f"{redact(target)}: scheme {parts.scheme!r} is not allowed "
            f"(source.allowed_schemes: {', '.join(limits.allowed_schemes)})"
        )
    host = (parts.hostname or "").lower()
    if not _host_allowed(host, limits.allowed_hosts):
        raise SourceError(
            f"{redact(target)}: host {host!r} is not allowed "
            f"(source.allowed_hosts: {', '.join(limits.allowed_hosts)})"
        )
    return "git"


def vet_address(url: str, limits: SourceLimits) -> str | None:
    """Resolve the URL's host and refuse non-public addresses when policy says so.

    Returns a ``host:port:address`` pin for git's ``http.curloptResolve``, so that git connects to
    the very address vetted here and a second DNS answer (rebinding) cannot redirect it.
    """
    refuse = limits.private_networks == "refuse" or (
        limits.private_networks == "auto" and running_on_lambda()
    )
    parts = urlsplit(url)
    if not refuse or not parts.hostname:
        return None
    port = parts.port or {"https": 443, "http": 80, "ssh": 22}.get(parts.scheme, 443)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise SourceError(f"{redact(url)}: cannot resolve {parts.hostname!r}: {error}") from None
    addresses = sorted({info[4][0] for info in infos})
    for address in addresses:
        if kind := non_public(address):
            raise SourceError(
                f"{redact(url)}: {parts.hostname!r} resolves to {address}, a {kind} address "
                "(source.private_networks refuses it)"
            )
    return f"{parts.hostname}:{port}:{addresses[0]}"


def non_public(address: str) -> str | None:
    """What kind of non-public address ``address`` is, or None when it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for kind in ("loopback", "link_local", "unspecified", "multicast", "private", "reserved"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if ip.is_global else "non-global"


def _host_allowed(host: str, allowed: list[str]) -> bool:
    for pattern in allowed:
        pattern = pattern.lower()
        if pattern == "*" or host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:])):
            return True
    return False


def redact(url: str) -> str:
    """The URL without any user name or password in it, fit for logs and reports."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return parts._replace(netloc=host).geturl()


def unsafe_name(path: str) -> str | None:
    if any(ord(char) < 32 or ord(char) == 127 for char in path):
        return "file name has control characters"
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8"
    return None


def _printable(path: str) -> str:
    return path.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")


def copy_directory(root: Path, snapshot: Snapshot) -> None:
    for relative, entry_stat in walk(root, snapshot):
        if not snapshot.admit(relative, entry_stat.st_size):
            continue
        try:
            data = _read_no_follow(root / relative, snapshot.limits.max_file_bytes)
        except OSError as error:
            snapshot.skip(relative, f"unreadable: {error.strerror or error}")
            continue
        snapshot.add(relative, data)


def walk(root: Path, snapshot: Snapshot) -> Iterator[tuple[str, os.stat_result]]:
    """Regular files under ``root`` in a stable order, honouring .gitignore files; never follows links."""
    ignore = IgnoreRules()
    stack: list[tuple[Path, str, int]] = [(root, "", 0)]
    while stack:
        directory, prefix, depth = stack.pop()
        ignore.enter(directory, prefix)
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name, reverse=True)
        except OSError as error:
            snapshot.skip(prefix or ".", f"unreadable directory: {error.strerror or error}")
            continue
        subdirectories = []
        for entry in reversed(entries):
            relative = f"{prefix}{entry.name}"
            try:
                entry_stat = entry.stat(follow_symlinks=False)
            except OSError as error:
                snapshot.skip(relative, f"unreadable: {error.strerror or error}")
                continue
            if stat.S_ISLNK(entry_stat.st_mode):
                snapshot.skip(_printable(relative), "symbolic link")
            elif stat.S_ISDIR(entry_stat.st_mode):
                if entry.name in ALWAYS_SKIPPED_DIRS:
                    continue
                if entry.name in ARTEFACT_DIRS:
                    snapshot.skip(relative + "/", ARTEFACT_DIRS[entry.name])
                    continue
                if ignore.ignored(relative, is_dir=True):
                    snapshot.skip(relative + "/", "ignored by .gitignore")
                elif depth + 1 >= MAX_DEPTH:
                    snapshot.skip(relative + "/", f"nested deeper than {MAX_DEPTH} directories")
                else:
                    subdirectories.append((Path(entry.path), relative + "/", depth + 1))
            elif not stat.S_ISREG(entry_stat.st_mode):
                snapshot.skip(_printable(relative), "not a regular file")
            elif ignore.ignored(relative, is_dir=False):
                continue
            else:
                yield relative, entry_stat
        stack.extend(reversed(subdirectories))


def _read_no_follow(path: Path, limit: int) -> bytes:
    # NOTE: O_NOFOLLOW closes the window between the walk's lstat and this open, in which a
    # file could be swapped for a link to somewhere else.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(0, "not a regular file")
        return handle.read(limit)


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
            process = git.Git(scratch).execute(command, as_process=True, env=git_environment(scratch))
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
        raise SourceError(f"{redact(url)}: clone failed: {_redact_text(reason, url)}")


def _redact_text(text: str, url: str) -> str:
    return text.replace(url, redact(url))


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

