"""The snapshot of a run's source: the files accepted within the limits, and the manifest of what was skipped."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framework.config import SourceLimits

BINARY_SNIFF_BYTES = 8192
# Directories nested deeper than this are skipped, in a directory as in a git tree.
MAX_DEPTH = 64


@dataclass
class Snapshot:
    """Copies accepted files into ``dest`` within the limits, and keeps the manifest."""

    dest: Path
    limits: SourceLimits
    # The workspace's content-addressed store: a file already in it is hard-linked, not copied again.
    store: Path | None = None
    # Real paths never snapshotted, with the reason: codepanel's own workspace and baseline file.
    excluded: dict[str, str] = field(default_factory=dict)
    included: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    total_bytes: int = 0

    def skip(self, path: str, reason: str, limit: str | None = None) -> None:
        """Record a file left out; ``limit`` names the ``source.*`` limit that cut it, if one did."""
        self.skipped.append({"path": path, "reason": reason, **({"limit": limit} if limit else {})})

    def admit(self, path: str, size: int) -> bool:
        """Whether a file of ``size`` bytes may be added; records why not."""
        if problem := unsafe_name(path):
            self.skip(printable(path), problem)
        elif size > self.limits.max_file_bytes:
            self.skip(path, f"larger than max_file_bytes ({size} > {self.limits.max_file_bytes} bytes)", "max_file_bytes")
        elif len(self.included) >= self.limits.max_files:
            self.skip(path, f"file count limit reached (max_files={self.limits.max_files})", "max_files")
        elif self.total_bytes + size > self.limits.max_total_bytes:
            self.skip(path, f"total size limit reached (max_total_bytes={self.limits.max_total_bytes})", "max_total_bytes")
        else:
            return True
        return False

    def add(self, path: str, data: bytes) -> None:
        if b"\0" in data[:BINARY_SNIFF_BYTES]:
            self.skip(path, "binary file")
            return
        target = self.dest.joinpath(*path.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(data).hexdigest()
        if self.store is None or not _link_from_store(self.store, digest, data, target):
            with open(target, "xb") as handle:
                handle.write(data)
        self.included.append({"path": path, "bytes": len(data), "sha256": digest})
        self.total_bytes += len(data)

    def manifest(self, **facts: Any) -> dict[str, Any]:
        return {
            **facts,
            "included": self.included,
            "skipped": self.skipped,
            "limits": {key: getattr(self.limits, key) for key in ("max_file_bytes", "max_files", "max_total_bytes")},
            "totals": {
                "files": len(self.included),
                "bytes": self.total_bytes,
                "skipped": len(self.skipped),
            },
        }


def _link_from_store(store: Path, digest: str, data: bytes, target: Path) -> bool:
    """Hard-link ``target`` to the store's copy of ``data`` (made if need be); False when linking fails.

    NOTE: the store's files are read-only and shared by every run that holds them; `codepanel runs
    prune` deletes those no run links to any more.
    """
    blob = store / digest[:2] / digest
    try:
        if not blob.exists():
            blob.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=blob.parent, prefix=f".{digest[:8]}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(temporary, 0o444)
            os.replace(temporary, blob)
        os.link(blob, target)
        return True
    except OSError:  # another file system, no hard links (S3 Files), or pruned meanwhile: copy instead
        return False


def unsafe_name(path: str) -> str | None:
    if any(ord(char) < 32 or ord(char) == 127 for char in path):
        return "file name has control characters"
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8"
    return None


def printable(path: str) -> str:
    return path.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
