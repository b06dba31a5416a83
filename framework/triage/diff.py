"""Diff-aware reviews: the files and lines of a local git checkout changed since a base revision.

``changed_lines`` reads ``git diff BASE`` (the working tree against BASE, so commits since BASE
and uncommitted edits both count; untracked files count as wholly added) into a ``DiffScope``::

    {"base": "origin/main", "commit": "<sha of BASE>", "whole_files": false,
     "files": {"app/views.py": [[4, 6], [12, 12]], "app/new.py": [[1, 40]]}}

Paths are relative to the reviewed directory, as in the snapshot. The scope travels in the run's
request: reviewers see only the changed files (``in_scope``), and the aggregate step keeps only
the findings on changed lines, or every finding in a changed file with ``whole_files``
(``keep_changed``).
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from framework.errors import SourceError
from framework.findings import Finding

HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
# No external diff driver, text conversion filter or file-system monitor may run: only git itself.
GIT_DIFF = [
    "git", "-c", "core.quotePath=off", "-c", "core.fsmonitor=false", "diff", "--no-color",
    "--no-ext-diff", "--no-textconv", "--find-renames", "--unified=0", "--relative",
    "--src-prefix=a/", "--dst-prefix=b/",
]  # fmt: skip


class DiffScope(BaseModel):
    """The files and lines changed since a base revision, as a review's request carries them."""

    base: str
    commit: str
    whole_files: bool = False
    # Path -> the changed line ranges, [first, last], 1-based.
    files: dict[str, list[list[int]]]

    def facts(self) -> dict[str, object]:
        """What the summary tells of the scope: the base, its commit, the mode and how many files."""
        return {"base": self.base, "commit": self.commit, "whole_files": self.whole_files, "files": len(self.files)}


def changed_lines(target: str | Path, base: str, whole_files: bool = False) -> DiffScope:
    """The scope of a review of ``target`` limited to what changed since ``base``."""
    import git  # GitPython, imported only when a diff is asked for

    directory = Path(target).expanduser()
    if not directory.is_dir():
        raise SourceError(
            f"--diff: {target} is not a local directory (a diff needs a git checkout)"
        )
    try:
        repo = git.Repo(directory, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise SourceError(f"--diff: {target} is not inside a git checkout") from None
    try:
        with repo:
            commit = repo.commit(base).hexsha
            patch = git.Git(str(directory.resolve())).execute([*GIT_DIFF, commit, "--", "."])
            files = parse_patch(patch)
            top = Path(repo.working_tree_dir).resolve()
            inside = directory.resolve().relative_to(top).as_posix()
            for path in repo.untracked_files:
                relative = _below(path, inside)
                if relative is not None and relative not in files:
                    files[relative] = _whole(directory / relative)
    except (git.BadName, git.BadObject, ValueError):
        raise SourceError(f"--diff: unknown revision {base!r}") from None
    except git.GitCommandError as error:
        message = " ".join(str(error.stderr or error).split())
        raise SourceError(f"--diff: git failed: {message[:300]}") from None
    return DiffScope(base=base, commit=commit, whole_files=whole_files, files=files)


def parse_patch(patch: str) -> dict[str, list[list[int]]]:
    """The added or changed lines of each file that still exists, from a ``--unified=0`` patch."""
    files: dict[str, list[list[int]]] = {}
    current: list[list[int]] | None = None
    for line in patch.splitlines():
        if line.startswith("diff --git "):
            current = None
        elif line.startswith("+++ "):
            name = line[4:]
            name = _unquote(name) if name.startswith('"') else name
            current = files.setdefault(name[2:], []) if name.startswith("b/") else None
        elif line.startswith("rename to ") and current is None:
            current = files.setdefault(_name(line[len("rename to ") :]), [])
        elif current is not None and (match := HUNK.match(line)):
            start, count = int(match[1]), int(match[2] if match[2] is not None else 1)
            if count:
                current.append([start, start + count - 1])
    return {name: _merged(ranges) for name, ranges in files.items()}


def in_scope(paths: list[str], scope: DiffScope | None) -> list[str]:
    """The files a reviewer reviews: every one, or only the changed ones."""
    if scope is None:
        return paths
    return [path for path in paths if path in scope.files]


def keep_changed(findings: list[Finding], scope: DiffScope | None) -> list[Finding]:
    """The findings a diff-aware review reports: on changed lines, or anywhere in a changed file."""
    if scope is None:
        return findings
    kept = []
    for finding in findings:
        ranges = scope.files.get(finding.file)
        if ranges is None:
            continue
        if scope.whole_files or any(
            start <= (finding.end_line or finding.line) and finding.line <= end
            for start, end in ranges
        ):
            kept.append(finding)
    return kept


def _merged(ranges: list[list[int]]) -> list[list[int]]:
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def _whole(path: Path) -> list[list[int]]:
    try:
        with open(path, "rb") as handle:
            count = sum(1 for _ in handle)
    except OSError:
        return []
    return [[1, max(count, 1)]]


def _below(path: str, inside: str) -> str | None:
    if inside in ("", "."):
        return path
    prefix = inside.rstrip("/") + "/"
    return path[len(prefix) :] if path.startswith(prefix) else None


def _name(text: str) -> str:
    return _unquote(text) if text.startswith('"') else text


_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def _unquote(text: str) -> str:
    """A path as git C-quotes it ("a\\tb", octal bytes) back to text."""
    body, out, index = text.strip('"'), bytearray(), 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            following = body[index + 1]
            if re.fullmatch("[0-7]{3}", body[index + 1 : index + 4]):
                out.append(int(body[index + 1 : index + 4], 8) & 0xFF)
                index += 4
                continue
            out.append(_ESCAPES.get(following, ord(following)))
            index += 2
            continue
        out += char.encode("utf-8")
        index += 1
    return out.decode("utf-8", "replace")
