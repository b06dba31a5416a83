"""De-duplication: one finding per problem, the others marked ``duplicate``.

Two findings of different reviewers are the same problem when they are in the same file, their
lines overlap, and they name the same weakness (CWE), the same rule, or mostly the same words;
two findings of one reviewer's different rules are when their lines overlap and their CWE is the same.
The kept one is the most severe (then the confirmed, then the most confident); it lists the
others in ``details.also_reported_by``, and each duplicate points back in ``details.duplicate_of``.
"""

from __future__ import annotations

import re

from framework import hookimpl
from framework.aggregators import standing
from framework.findings import CONFIDENCES, Finding, severity_rank
from framework.run.summary import RunSummary

WORD = re.compile(r"[a-z0-9]+")
SIMILAR_WORDS = 0.5


@hookimpl(tryfirst=True)
def aggregate_findings(findings: list[Finding], summary: RunSummary) -> None:
    """Mark findings that repeat another reviewer's finding as duplicates."""
    merged = 0
    candidates = standing(findings)
    for index, finding in enumerate(candidates):
        for other in candidates[index + 1:]:
            if finding.hidden:
                break
            if other.hidden or not mergeable(finding, other) or not same_problem(finding, other):
                continue
            keep, drop = (finding, other) if preference(finding) >= preference(other) else (other, finding)
            drop.verdict = "duplicate"
            drop.verdict_reason = f"same problem as {keep.reviewer}/{keep.rule_id} at {keep.file}:{keep.line}"
            drop.details["duplicate_of"] = keep.fingerprint
            keep.details.setdefault("also_reported_by", []).append(
                {"reviewer": drop.reviewer, "rule_id": drop.rule_id, "fingerprint": drop.fingerprint}
            )
            merged += 1
    summary.deduplication = {"merged": merged}


def mergeable(a: Finding, b: Finding) -> bool:
    """Findings of two reviewers; or of one reviewer's two rules naming the same weakness (CWE)."""
    if a.reviewer != b.reviewer:
        return True
    return a.rule_id != b.rule_id and a.cwe is not None and a.cwe == b.cwe


def same_problem(a: Finding, b: Finding) -> bool:
    if a.file != b.file or a.line > (b.end_line or b.line) or b.line > (a.end_line or a.line):
        return False
    if a.cwe and b.cwe:
        return a.cwe == b.cwe
    if rule_name(a.rule_id) == rule_name(b.rule_id):
        return True
    words_a, words_b = set(WORD.findall(a.message.lower())), set(WORD.findall(b.message.lower()))
    return bool(words_a and words_b) and len(words_a & words_b) / len(words_a | words_b) >= SIMILAR_WORDS


def preference(finding: Finding) -> tuple[int, int, int]:
    """Higher is the better one to keep: severity, then the agent's support, then confidence."""
    support = {"confirmed": 2, "added": 1}.get(finding.verdict or "", 0)
    return severity_rank(finding.severity), support, -CONFIDENCES.index(finding.confidence)


def rule_name(rule_id: str) -> str:
    """``B307``, ``bandit/B307`` and ``ruff.B307`` name the same rule."""
    return re.split(r"[/.:]", rule_id.lower())[-1]
