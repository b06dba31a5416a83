"""What a run covered: which files of the snapshot some reviewer analyzes, and what a limit cut.

Each reviewer declares what it analyzes (``Reviewer.covers``, file-name globs). A file of a
programming language that no offline reviewer covers is counted by language, so that reports can
say "213 JavaScript files: no offline reviewer covers them". With a model, a reviewer's agent
reads any file, so nothing is counted as uncovered.
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from typing import Any

from framework.triage.paths import PathScope

# File extensions of programming languages: what a code review is expected to cover.
LANGUAGES = {
    ".py": "Python", ".pyi": "Python", ".js": "JavaScript", ".jsx": "JavaScript", ".mjs": "JavaScript",
    ".cjs": "JavaScript", ".ts": "TypeScript", ".tsx": "TypeScript", ".go": "Go", ".rb": "Ruby",
    ".java": "Java", ".kt": "Kotlin", ".scala": "Scala", ".php": "PHP", ".rs": "Rust", ".c": "C",
    ".h": "C", ".cc": "C++", ".cpp": "C++", ".hpp": "C++", ".cs": "C#", ".swift": "Swift",
    ".sh": "Shell", ".bash": "Shell", ".pl": "Perl", ".lua": "Lua", ".dart": "Dart", ".ex": "Elixir",
    ".erl": "Erlang", ".hs": "Haskell", ".clj": "Clojure", ".r": "R", ".sql": "SQL", ".tf": "Terraform",
    ".vue": "Vue", ".svelte": "Svelte",
}  # fmt: skip
# The source limits a fetch can hit, as reviewers.yaml names them.
SOURCE_LIMITS = {"max_file_bytes": "source.max_file_bytes", "max_files": "source.max_files",
                 "max_total_bytes": "source.max_total_bytes"}  # fmt: skip


def language(path: str) -> str | None:
    name = path.rsplit("/", 1)[-1].lower()
    return LANGUAGES.get(name[name.rfind("."):]) if "." in name else None


def covered_by(path: str, patterns: tuple[str, ...]) -> bool:
    name = path.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(name, pattern) or fnmatch.fnmatchcase(path, pattern) for pattern in patterns)


def coverage(files: list[str], reviewers: list[tuple[PathScope, tuple[str, ...]]]) -> tuple[int, dict[str, int]]:
    """How many of ``files`` some reviewer analyzes, and by language the ones in some reviewer's
    paths that none covers.

    ``reviewers`` holds each offline reviewer's path scope and the globs it covers.
    """
    analyzed = 0
    uncovered: Counter[str] = Counter()
    for path in files:
        scoped = [covers for scope, covers in reviewers if scope.why_out(path) is None]
        if not scoped:
            continue  # out of every reviewer's paths: left out on purpose, not uncovered
        if any(covered_by(path, covers) for covers in scoped):
            analyzed += 1
        elif (kind := language(path)) is not None:
            uncovered[kind] += 1
    return analyzed, dict(uncovered.most_common())


def source_limits_hit(manifest: dict[str, Any]) -> list[str]:
    """A sentence for each ``source.*`` limit that left files out of the snapshot."""
    counts = Counter(entry["limit"] for entry in manifest.get("skipped", []) if entry.get("limit"))
    limits = manifest.get("limits", {})
    fetched = manifest.get("totals", {}).get("files", 0)
    sentences = []
    for key, count in counts.items():
        value = f" ({limits[key]})" if key in limits else ""
        sentences.append(f"{SOURCE_LIMITS.get(key, key)}{value}: {count} files not fetched ({fetched} were)")
    return sentences
