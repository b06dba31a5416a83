"""The result cache: a reviewer's analyzer findings, reused while what they depend on is unchanged.

One store per reviewer configuration, ``<workspace>/cache/<reviewer>-<key>.json``, where the key
hashes the reviewer's name, plugin, class, ``version``, settings, model and read limit (and the
cache format). Inside, entries are keyed by content:

- per file, for a reviewer that implements ``analyze_files``: the file's path and content hash;
- for the whole tree, for ``analyze``: every file's path and content hash.

Next to it, ``LastResult`` keeps the reviewer's last finished findings for the whole tree, so a
review of an unchanged tree (when no model is configured) reads them back as they are.

So an unchanged tree reuses everything, a changed file re-runs ``analyze_files`` on that file
alone (and ``analyze`` on the tree), and a change of settings or version starts a new store.
Only the analyzers are cached; an agent (when a model is configured) always runs.

NOTE: two reviews of one reviewer configuration at once each save their own view of the store;
the last one wins and the other's new entries are lost, which costs speed later, never findings.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable
from dataclasses import MISSING, fields
from pathlib import Path
from typing import Any

from framework import __version__
from framework.config import ReviewerConfig
from framework.errors import CodepanelError
from framework.findings import Finding
from framework.reviewer import Reviewer
from framework.run.workspace import write_atomic
from framework.tree import SourceTree

CACHE_FORMAT = 3
# Entries kept per store, least recently used dropped first: bounds the file on long-lived workspaces.
MAX_ENTRIES = 100_000
# Files handed to one analyze_files call. Between batches the store is saved at most every
# SAVE_EVERY seconds, so most of the work done before a timeout is kept.
BATCH_FILES = 500
SAVE_EVERY = 20.0


def directory(workspace: Any) -> Path:
    """Where a workspace keeps its cache."""
    return workspace.root / "cache"


def config_key(reviewer: Reviewer, config: ReviewerConfig) -> str:
    """What the findings of ``reviewer`` depend on besides the source itself."""
    cls = type(reviewer)
    parts = {
        "format": CACHE_FORMAT,
        "codepanel": __version__,
        "name": config.name,
        "plugin": config.plugin,
        "class": f"{cls.__module__}.{cls.__qualname__}",
        "version": str(cls.version),
        "settings": config.settings,
        "model": config.model.label(),
        "max_file_bytes": config.limits.max_file_bytes,
    }
    text = json.dumps(parts, sort_keys=True, default=repr, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class Store:
    """The entries of one reviewer configuration, in least-recently-used order."""

    def __init__(self, path: Path):
        self.path = path
        self.entries: dict[str, list[dict[str, Any]]] = {}
        self.changed = False
        self.saved_at = time.monotonic()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") == CACHE_FORMAT and isinstance(data.get("entries"), dict):
                self.entries = data["entries"]
        except (OSError, ValueError, AttributeError):
            pass  # no store yet, or an unreadable one: start afresh

    def get(self, key: str) -> list[dict[str, Any]] | None:
        found = self.entries.pop(key, None)
        if found is not None:
            self.entries[key] = found  # now the most recently used
        return found

    def put(self, key: str, findings: list[Finding]) -> None:
        self.entries.pop(key, None)
        self.entries[key] = [_compact(finding) for finding in findings]
        self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        self.changed, self.saved_at = False, time.monotonic()
        for key in list(self.entries)[: max(0, len(self.entries) - MAX_ENTRIES)]:
            del self.entries[key]
        data = {"format": CACHE_FORMAT, "entries": self.entries}
        try:
            write_atomic(self.path, json.dumps(data, separators=(",", ":"), ensure_ascii=False))
        except OSError:
            pass  # a read-only or full workspace costs speed, never the review


class LastResult:
    """A reviewer configuration's last finished findings (fingerprinted and sorted), for its tree.

    Reviewing that very tree again then skips the analyzers, fingerprinting and conversion: with
    thousands of findings those cost more than the analysis of a few changed files. Only the
    latest tree is kept, in ``<reviewer>-<key>.result-<tree>.json``.
    """

    def __init__(
        self, cache_dir: Path, reviewer: Reviewer, config: ReviewerConfig, tree: SourceTree,
        known: dict[str, str] | None = None,
    ):
        # ``known``: content hashes the snapshot's manifest already holds, so files are not read again.
        known = known or {}
        self.hashes = {path: known.get(path) or content_hash(tree, path) for path in tree.files}
        self.prefix = f"{config.name}-{config_key(reviewer, config)[:24]}.result-"
        self.path = cache_dir / f"{self.prefix}{tree_key(self.hashes)[:24]}.json"

    def recall(self) -> dict[str, Any] | None:
        """``{"findings": [...], "skipped": [...]}`` of the last review of this tree, if any."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if isinstance(data, dict) and data.get("format") == CACHE_FORMAT and isinstance(data.get("findings"), list):
            return data
        return None

    def remember(self, findings: list[dict[str, Any]], skipped: list[dict[str, Any]] = ()) -> None:
        data = {"format": CACHE_FORMAT, "findings": findings, "skipped": list(skipped)}
        try:
            write_atomic(self.path, json.dumps(data, separators=(",", ":"), ensure_ascii=False))
            for older in self.path.parent.glob(f"{self.prefix}*.json"):
                if older != self.path:
                    older.unlink(missing_ok=True)
        except OSError:
            pass


def tree_key(hashes: dict[str, str]) -> str:
    return _digest(f"{path}\0{digest}" for path, digest in sorted(hashes.items()))


def analyze(
    reviewer: Reviewer,
    tree: SourceTree,
    config: ReviewerConfig,
    settings: Any,
    cache_dir: Path | None,
    hashes: dict[str, str] | None = None,
) -> tuple[list[Finding], dict[str, Any]]:
    """Run ``reviewer``'s analyzers on ``tree``, reusing cached findings; ``None`` disables the cache.

    ``settings`` are the reviewer's validated settings; ``hashes`` are the files' content hashes
    when the caller has them already.
    """
    if cache_dir is None:
        found = (
            list(reviewer.analyze_files(tree, list(tree.files), settings))
            if reviewer.analyzes_files()
            else []
        )
        found += list(reviewer.analyze(tree, settings))
        _check(found, config.name)
        return found, {"enabled": False}
    store = Store(cache_dir / f"{config.name}-{config_key(reviewer, config)[:24]}.json")
    if hashes is None:
        hashes = {path: content_hash(tree, path) for path in tree.files}
    stats: dict[str, Any] = {"enabled": True, "files_analyzed": 0, "files_reused": 0}
    findings: list[Finding] = []
    # NOTE: saved however the analysis ends (a reviewer stopped at its timeout included), so that
    # the batches done are kept and a re-run continues from them instead of timing out again.
    try:
        if reviewer.analyzes_files():
            findings += _per_file(reviewer, tree, settings, store, hashes, stats)
        if type(reviewer).analyze is not Reviewer.analyze:
            key = "tree:" + tree_key(hashes)
            cached = store.get(key)
            stats["tree"] = "reused" if cached is not None else "analyzed"
            if cached is None:
                fresh = list(reviewer.analyze(tree, settings))
                _check(fresh, config.name)
                store.put(key, fresh)
                findings += fresh
            else:
                findings += [Finding.from_dict(item) for item in cached]
    finally:
        store.save()
    return findings, stats


def _per_file(
    reviewer, tree, settings, store: Store, hashes: dict[str, str], stats
) -> list[Finding]:
    keys = {path: "file:" + _digest([path, hashes[path]]) for path in tree.files}
    cached = {path: store.get(keys[path]) for path in tree.files}  # get() also marks them as used
    missing = [path for path in tree.files if cached[path] is None]
    by_file: dict[str, list[Finding]] = {}
    for start in range(0, len(missing), BATCH_FILES):
        batch = missing[start : start + BATCH_FILES]
        fresh = list(reviewer.analyze_files(tree, batch, settings))
        _check(fresh, reviewer.name)
        wanted = set(batch)
        for finding in fresh:
            if finding.file not in wanted:
                raise CodepanelError(
                    f"reviewer {reviewer.name!r}: analyze_files reported a finding on {finding.file!r}, "
                    "which is not among the paths it was given"
                )
            by_file.setdefault(finding.file, []).append(finding)
        for path in batch:
            store.put(keys[path], by_file.get(path, []))
        if time.monotonic() - store.saved_at > SAVE_EVERY:
            store.save()
    stats["files_analyzed"] = len(missing)
    stats["files_reused"] = len(tree.files) - len(missing)
    findings: list[Finding] = []
    for path in tree.files:
        if cached[path] is None:
            findings += by_file.get(path, [])
        else:
            findings += [Finding.from_dict(item) for item in cached[path]]
    return findings


_DEFAULTS = {f.name: f.default for f in fields(Finding) if f.default is not MISSING}


def _compact(finding: Finding) -> dict[str, Any]:
    """A finding without the fields left at their defaults: smaller stores load faster."""
    data = finding.to_dict()
    if data["end_line"] == data["line"]:
        del data["end_line"]
    if not data["details"]:
        del data["details"]
    return {
        key: value for key, value in data.items() if key not in _DEFAULTS or value != _DEFAULTS[key]
    }


def _check(findings: list[Any], name: str) -> None:
    """What a reviewer yields must be Findings whose ``details`` are JSON (they go into results files)."""
    for finding in findings:
        if not isinstance(finding, Finding):
            raise CodepanelError(
                f"reviewer {name!r} yielded {type(finding).__name__}, not a Finding"
            )
        if finding.details:
            try:
                json.dumps(finding.details)
            except (TypeError, ValueError) as error:
                raise CodepanelError(
                    f"reviewer {name!r}: the details of {finding.rule_id} at {finding.file}:{finding.line} "
                    f"are not JSON: {error}"
                ) from None


def content_hash(tree: SourceTree, path: str) -> str:
    """The sha256 of a file of the snapshot, or "unreadable"."""
    # NOTE: a lexical check and O_NOFOLLOW instead of tree.resolve, which costs more than the
    # hashing itself on large trees: the snapshot holds no symbolic links, and a hash reveals
    # nothing of what it reads.
    if path.startswith("/") or "\0" in path or ".." in path.split("/"):
        return "unreadable"
    digest = hashlib.sha256()
    try:
        fd = os.open(tree.root / path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return "unreadable"
    return digest.hexdigest()


def _digest(parts: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    return digest.hexdigest()
