"""What every report shows, chosen once: the findings' groups, "Fix first", each finding's
source-to-sink path, and what the review did not do.

The Markdown, SARIF and HTML reports read these, so that they agree: the same findings first, the
same groups, the same path. Everything here comes from the summary and the findings as they are;
``details`` may hold anything a plugin wrote, so it is checked, never trusted.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any

from framework import findings as findings_module
from framework.findings import Finding, severity_rank
from framework.run.summary import RunSummary

FIX_FIRST = 5
# A path longer than this keeps its first and last steps (the security reviewer's are shorter).
MAX_STEPS = 40
# The security reviewer's low-confidence tier: a sink reached by data whose origin it could not follow.
NOT_TRACED = "not traced"


@dataclass(frozen=True)
class Step:
    """One step of a path: where it is (``line`` None when unknown) and what happens there."""

    file: str
    line: int | None
    what: str

    @property
    def where(self) -> str:
        return self.file if self.line is None or self.file == "." else f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Flow:
    """A finding's source-to-sink path, as the reports show it."""

    steps: list[Step]
    # Steps left out of the middle of an over-long path.
    omitted: int = 0


@dataclass(frozen=True)
class Group:
    """Findings of one severity, in test code or not, by file."""

    severity: str
    in_tests: bool
    files: list[tuple[str, list[Finding]]]

    @property
    def size(self) -> int:
        return sum(len(items) for _, items in self.files)

    @property
    def key(self) -> str:
        return f"{self.severity}-tests" if self.in_tests else self.severity

    @property
    def title(self) -> str:
        return self.severity.capitalize() + (", in test code" if self.in_tests else "")


def groups(shown: list[Finding]) -> list[Group]:
    """By severity, most severe first, then by file; the findings in test code after all the others."""

    def by_group(finding: Finding) -> tuple:
        return (finding.in_tests, -severity_rank(finding.severity))

    ordered = sorted(shown, key=lambda f: (*by_group(f), f.file, f.line, f.rule_id, f.fingerprint))
    result = []
    for (in_tests, _), members in groupby(ordered, key=by_group):
        items = list(members)
        files = [(file, list(group)) for file, group in groupby(items, key=lambda f: f.file)]
        result.append(Group(items[0].severity, in_tests, files))
    return result


score = findings_module.score
fix_first = findings_module.fix_first


def flow(finding: Finding, max_steps: int = MAX_STEPS) -> Flow | None:
    """The path from source to sink in ``details["path"]``, or None when there is none to show.

    A path of one step at the finding's own place (a weakness: "call to md5()") is no path.
    """
    raw = finding.details.get("path") if isinstance(finding.details, dict) else None
    if not isinstance(raw, list):
        return None
    steps = [step for item in raw if (step := _step(item, finding)) is not None]
    if not steps or (
        len(steps) == 1 and steps[0].file == finding.file and steps[0].line in (None, finding.line)
    ):
        return None
    if len(steps) <= max_steps:
        return Flow(steps)
    head = max_steps // 2
    return Flow(steps[:head] + steps[-(max_steps - head) :], omitted=len(steps) - max_steps)


def _step(item: Any, finding: Finding) -> Step | None:
    if not isinstance(item, dict):
        return None
    file = item.get("file")
    line = item.get("line")
    what = item.get("what")
    return Step(
        file=file if isinstance(file, str) and file.strip() else finding.file,
        line=line if isinstance(line, int) and not isinstance(line, bool) and line >= 1 else None,
        what=" ".join(str(what).split()) if what is not None else "",
    )


def rejected(findings: list[Finding]) -> list[Finding]:
    """The high and critical findings an agent rejected, most severe first: every report lists them,
    marked rejected, because text in a repository can talk an agent out of a real problem.
    (Suppressed ones and ones already in the baseline stay out, as everywhere.)"""
    serious = severity_rank("high")
    chosen = [f for f in findings if f.verdict == "rejected" and severity_rank(f.severity) >= serious
              and not f.suppressed and f.baseline_state != "unchanged"]  # fmt: skip
    return sorted(chosen, key=lambda f: (-severity_rank(f.severity), f.file, f.line, f.rule_id))


def rejection(finding: Finding) -> str:
    """``rejected by an agent: REASON``."""
    return f"rejected by an agent: {finding.verdict_reason or 'no reason given'}"


def source_not_traced(finding: Finding) -> bool:
    """Whether the reviewer says it could not trace where the data came from."""
    return isinstance(finding.details, dict) and finding.details.get("source") == NOT_TRACED


def attention(summary: RunSummary) -> list[str]:
    """What the review did not do, a sentence each: the summary's own list, then the reviewers
    that did not finish."""
    lines = summary.attention()
    for name, entry in summary.unfinished().items():
        line = f"reviewer {name} did not finish: {entry.status.label}"
        if entry.note:
            line += f" ({entry.note})"
        lines.append(line)
    return lines


def in_tests_note(summary: RunSummary, shown: list[Finding]) -> str:
    """How findings in test code were treated, in a few words, or ''."""
    mode = (summary.tests or {}).get("mode") if isinstance(summary.tests, dict) else None
    if mode == "skip":
        return "test code was not reviewed"
    count = sum(finding.in_tests for finding in shown)
    return f"{count} in test code, listed last" if count else ""
