"""The executive summary (``summary.executive_summary``), written last, after the others.

With a model: a few sentences from the run's facts and its most severe findings. By rules: how
many findings of which severity, the one to fix first, what did not finish, what was dropped.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from framework import hookimpl
from framework.agents.session import ModelSession
from framework.aggregators import DATA_RULE, MAX_FINDINGS_FOR_MODEL, data_block, listed, standing
from framework.findings import SEVERITIES, Finding, fix_first
from framework.run.summary import RunSummary

SYSTEM = (
    "You write the executive summary of a code review for an engineering manager: the overall "
    "state, and the few problems to fix first and why, in at most five plain sentences. " + DATA_RULE
)


class ExecutiveSummary(BaseModel):
    """A short summary of the review for a busy reader."""

    text: str = Field(min_length=1, max_length=2000, description="At most five sentences of plain text")


@hookimpl(trylast=True)
def aggregate_findings(findings: list[Finding], summary: RunSummary, model: ModelSession | None) -> None:
    """Write the run's executive summary."""
    facts = rule_summary(findings, summary)
    shown = standing(findings)
    if model is not None and shown:
        # NOTE: the facts quote findings (the one to fix first, the run's error): data too.
        block = data_block({"facts": facts, "findings": listed(shown[:MAX_FINDINGS_FOR_MODEL])})
        prompt = "\n".join(["The run's facts and its most severe findings, as JSON between the DATA markers:",
                            *block, "Write the summary."])  # fmt: skip
        answer = model.ask(prompt, ExecutiveSummary, system=SYSTEM)
        if isinstance(answer, ExecutiveSummary) and answer.text.strip():
            summary.executive_summary = {"text": answer.text.strip(), "by": model.label}
            return
    summary.executive_summary = {"text": facts, "by": "rules"}


def rule_summary(findings: list[Finding], summary: RunSummary) -> str:
    shown = standing(findings)
    reviewers = summary.reviewers
    sentences = []
    if summary.error:
        sentences.append(f"The review did not run: {summary.error}")
    counts = [(sum(f.severity == level for f in shown), level) for level in SEVERITIES]
    listed = ", ".join(f"{count} {level}" for count, level in counts if count)
    total = f"{len(reviewers)} reviewers reported {len(shown)} findings"
    sentences.append(f"{total} ({listed})." if listed else f"{total}.")
    if shown:
        (worst,) = fix_first(shown, 1)  # never a finding in test code while there is another
        where = f"{worst.file}:{worst.line}, {worst.reviewer}/{worst.rule_id}"
        sentences.append(f"Fix first: {worst.message} ({where}).")
    unfinished = [f"{name} ({entry.status})" for name, entry in summary.unfinished().items()]
    if unfinished:
        sentences.append(f"Not complete: {', '.join(unfinished)}.")
    rejected = sum(f.verdict == "rejected" for f in findings)
    duplicates = sum(f.verdict == "duplicate" for f in findings)
    if rejected or duplicates:
        sentences.append(f"Left out: {rejected} findings rejected by the agents, {duplicates} duplicates.")
    return " ".join(sentences)
