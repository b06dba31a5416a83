"""The finding: what every reviewer reports, and its stable fingerprint."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field, fields
from typing import Any

SEVERITIES = ("critical", "high", "medium", "low", "info")
CONFIDENCES = ("high", "medium", "low")
# Verdicts that keep a finding in the JSON but out of the tables, counts and exit code.
HIDDEN_VERDICTS = ("rejected", "duplicate")


def severity_rank(severity: str) -> int:
    """Higher is worse: critical=4 ... info=0."""
    return len(SEVERITIES) - 1 - SEVERITIES.index(severity)


@dataclass
class Finding:
    """One problem a reviewer found, at a place in the source."""

    rule_id: str
    message: str
    file: str
    line: int = 1
    end_line: int | None = None
    severity: str = "medium"
    confidence: str = "medium"
    recommendation: str = ""
    cwe: int | None = None
    reviewer: str = ""
    column: int | None = None
    # Where the finding came from ("analyzer" or "agent") and what the agent made of it.
    origin: str = "analyzer"
    verdict: str | None = None
    verdict_reason: str | None = None
    # Optional extra facts: a data-flow path, a suggested fix, a rule URL...
    details: dict[str, Any] = field(default_factory=dict)
    # The stripped text of the first line, so the fingerprint survives lines moving.
    snippet: str = ""
    fingerprint: str = ""
    # Set when the run is aggregated: an inline `codepanel: ignore[...]` comment and its reason
    # (framework.suppressions), and "new" or "unchanged" against a --baseline (framework.baseline).
    suppressed: bool = False
    suppression_reason: str | None = None
    baseline_state: str | None = None
    # Set when the run is aggregated: the finding is in test code (framework.triage.paths); such
    # findings are shown, but ranked below all the others.
    in_tests: bool = False

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}, got {self.severity!r}")
        if self.confidence not in CONFIDENCES:
            raise ValueError(
                f"confidence must be one of {', '.join(CONFIDENCES)}, got {self.confidence!r}"
            )
        self.line = max(1, int(self.line))
        if self.end_line is None or self.end_line < self.line:
            self.end_line = self.line

    @property
    def hidden(self) -> bool:
        """Rejected by an agent, or merged into the same problem reported by another reviewer."""
        return self.verdict in HIDDEN_VERDICTS

    @property
    def shown(self) -> bool:
        """Whether reports show it: not hidden, not suppressed, not already in the baseline."""
        return not self.hidden and not self.suppressed and self.baseline_state != "unchanged"

    def with_fingerprint(self, source_line: str | None = None) -> Finding:
        """Fill in ``snippet`` (from ``source_line`` when given) and ``fingerprint``."""
        if source_line is not None:
            self.snippet = " ".join(source_line.split())[:200]
        if not self.fingerprint:
            # NOTE: the line number is left out on purpose, so inserting lines above a finding
            # keeps its fingerprint; the snippet tells apart two findings of one rule in a file.
            key = "\0".join((self.reviewer, self.rule_id, self.file, self.snippet or str(self.line)))
            self.fingerprint = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]
        return self

    def to_dict(self) -> dict[str, Any]:
        # NOTE: not dataclasses.asdict, whose deep copies cost more than the review itself when
        # thousands of findings come from the cache; ``details`` is copied one level deep.
        data = {name: getattr(self, name) for name in _FIELD_NAMES}
        data["details"] = dict(self.details)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(**{key: value for key, value in data.items() if key in _FIELD_NAMES})


_FIELD_NAMES = tuple(f.name for f in fields(Finding))


def sort_key(finding: Finding) -> tuple:
    """Most severe first; findings in test code after all the others."""
    return (finding.in_tests, -severity_rank(finding.severity), finding.file, finding.line, finding.rule_id)


def score(finding: Finding) -> float | None:
    """The scorer's 0-10 priority (``details["score"]``), or None when there is none."""
    value = finding.details.get("score") if isinstance(finding.details, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        return None
    return float(min(10, max(0, value)))


def fix_first(shown: list[Finding], count: int = 5) -> list[Finding]:
    """The findings to fix first: the highest scores, else the most severe; never one in test code
    while there is another."""
    outside_tests = [finding for finding in shown if not finding.in_tests]

    def priority(finding: Finding) -> tuple:
        value = score(finding)
        return (-(value if value is not None else -1), -severity_rank(finding.severity),
                finding.file, finding.line, finding.rule_id, finding.fingerprint)  # fmt: skip

    return sorted(outside_tests or shown, key=priority)[:count]


def assign_fingerprints(findings: list[Finding], tree: Any) -> None:
    """Give each finding its snippet and a fingerprint unique within the list.

    ``tree`` is a SourceTree (anything with ``read_text``). Two findings of one rule on
    identical lines of a file are told apart by their order, not their line numbers.
    """
    lines_by_file: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    for finding in sorted(findings, key=lambda f: (f.file, f.line, f.rule_id)):
        if finding.file not in lines_by_file:
            try:
                lines_by_file[finding.file] = tree.read_text(finding.file).splitlines()
            except Exception:  # noqa: BLE001 - a finding on a file we cannot read keeps its line number
                lines_by_file[finding.file] = []
        lines = lines_by_file[finding.file]
        source_line = lines[finding.line - 1] if finding.line <= len(lines) else None
        finding.fingerprint = ""
        finding.with_fingerprint(source_line)
        count = seen.get(finding.fingerprint, 0)
        seen[finding.fingerprint] = count + 1
        if count:
            finding.fingerprint = hashlib.sha256(f"{finding.fingerprint}:{count}".encode()).hexdigest()[:32]
