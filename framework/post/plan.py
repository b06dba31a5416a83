"""What one run posts, decided before any write: new inline comments, earlier ones to mark, counts.

- A finding gets an inline comment when the reports show it, it sits on a line the pull request
  added, and no open comment of codepanel's carries its fingerprint yet.
- An open comment whose finding this run no longer reports is marked fixed when its reviewer ran
  and finished here (a run of other reviewers, or a failed one, proves nothing), and marked
  suppressed when an inline suppression now covers it.
- Past ``Limits.max_inline`` and ``Limits.max_updates`` the rest is counted for the summary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from framework.findings import Finding, sort_key
from framework.post import comments, markers
from framework.post.limits import Limits
from framework.post.patches import ChangedFile
from framework.post.suggestion import suggest
from framework.run.outcome import Status
from framework.run.summary import RunSummary


@dataclass(frozen=True)
class PullInfo:
    """What the platform says of the pull request: its head commit, and the fork it comes from."""

    head: str
    fork: str | None  # the head repository's name when it is not the base repository


@dataclass(frozen=True)
class Posted:
    """An inline comment an earlier run posted (read back from the pull request)."""

    id: Any
    marker: markers.Marker
    body: str
    # The platform's own object for it (PyGithub's comment, GitLab's discussion and note).
    handle: Any = None


@dataclass(frozen=True)
class Inline:
    """A comment to post: on ``path`` at ``line`` (from ``start_line`` for several lines)."""

    finding: Finding
    path: str
    line: int
    start_line: int | None
    body: str
    old_path: str | None = None
    suggested: bool = False


@dataclass(frozen=True)
class Mark:
    posted: Posted
    body: str


@dataclass
class Plan:
    new: list[Inline] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    already: int = 0  # open comments whose finding is still there
    off_diff: int = 0  # shown findings on no line the pull request added
    over_limit: int = 0  # inline comments left for a later run
    marks_left: int = 0  # fixed findings whose comments a later run marks
    suggestions: int = 0


def make(
    run: RunSummary,
    findings: list[Finding],
    files: dict[str, ChangedFile],
    posted: list[Posted],
    read_lines: Callable[[str], list[str]],
    limits: Limits,
    prefix: str = "",
    flavour: str = "github",
) -> Plan:
    """The plan of one run. ``prefix`` turns a finding's path into the repository's (a review of a subfolder)."""
    plan = Plan()
    open_comments = {item.marker.fingerprint: item for item in posted if item.marker.state == markers.OPEN}
    for finding in sorted((f for f in findings if f.shown), key=sort_key):
        changed = files.get(prefix + finding.file) if finding.file != "." else None
        anchor = changed.anchor(finding.line, finding.end_line or finding.line) if changed else None
        if finding.fingerprint in open_comments:
            plan.already += 1
        elif anchor is None:
            plan.off_diff += 1
        elif len(plan.new) >= limits.max_inline:
            plan.over_limit += 1
        else:
            plan.new.append(_inline(finding, changed, anchor, read_lines, flavour))
    plan.suggestions = sum(item.suggested for item in plan.new)
    by_fingerprint = {f.fingerprint: f for f in findings}
    finished = {name for name, entry in run.reviewers.items() if entry.status == Status.OK}
    for fingerprint, item in open_comments.items():
        finding = by_fingerprint.get(fingerprint)
        if finding is not None and finding.shown:
            continue
        if finding is None and item.marker.reviewer in finished:
            why = "fixed"
        elif finding is not None and finding.suppressed:
            why = "suppressed"
        else:
            continue
        if len(plan.marks) >= limits.max_updates:
            plan.marks_left += 1
        else:
            plan.marks.append(Mark(item, comments.fixed(item.marker, item.body, run.commit, why)))
    return plan


def _inline(finding: Finding, changed: ChangedFile, anchor: int, read_lines, flavour: str) -> Inline:
    first, last = finding.line, finding.end_line or finding.line
    suggestion = None
    # A suggestion replaces the commented lines: all of them must be the pull request's, in one hunk.
    if all(line in changed.added for line in range(first, last + 1)) and changed.one_hunk(first, last):
        suggestion = suggest(finding, read_lines(finding.file))
    body = comments.inline(finding, suggestion, flavour)
    if suggestion is not None:
        return Inline(finding, changed.path, last if flavour == "github" else first,
                      first if flavour == "github" and last > first else None, body, changed.old_path, True)  # fmt: skip
    return Inline(finding, changed.path, anchor, None, body, changed.old_path)
