"""The severity scorer: a 0-10 priority for each finding (``details.score``) and the run's risk.

By rules: the severity's score, one point more or less for the confidence, one more when an
agent confirmed the finding and one more when other reviewers reported it too. With a model:
the model scores the most severe findings, with a reason for each (``details.score_reason``).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from framework import hookimpl
from framework.agents.session import ModelSession
from framework.aggregators import DATA_RULE, MAX_FINDINGS_FOR_MODEL, quoted, standing
from framework.findings import Finding
from framework.run.summary import RunSummary

SEVERITY_SCORES = {"critical": 9, "high": 7, "medium": 5, "low": 3, "info": 1}
CONFIDENCE_BONUS = {"high": 1, "medium": 0, "low": -1}
RISK_LEVELS = (("critical", 9), ("high", 7), ("medium", 5), ("low", 3))

SYSTEM = (
    "You rank code-review findings by priority: how likely it is that an attacker or a user hits "
    "the problem, and how much harm it does. Score every finding from 0 to 10. " + DATA_RULE
)


class Score(BaseModel):
    id: str = Field(description="The finding's id, e.g. F1")
    score: float = Field(ge=0, le=10, description="0 harmless, 10 severe and easy to hit")
    reason: str = Field(default="", max_length=300)


class Scores(BaseModel):
    """A priority score for each finding."""

    scores: list[Score]


@hookimpl
def aggregate_findings(findings: list[Finding], summary: RunSummary, model: ModelSession | None) -> None:
    """Score every standing finding, and the run's risk from the highest score."""
    shown = standing(findings)
    for finding in shown:
        finding.details.update(score=rule_score(finding), scored_by="rules")
    scored_by = "rules"
    if model is not None and shown:
        sent = shown[:MAX_FINDINGS_FOR_MODEL]
        prompt = "\n".join([*quoted(sent), "Score every finding by its id."])
        answer = model.ask(prompt, Scores, system=SYSTEM)
        if isinstance(answer, Scores) and answer.scores:
            scored_by = model.label
            by_id = {f"F{index}": finding for index, finding in enumerate(sent, start=1)}
            for score in answer.scores:
                if finding := by_id.get(score.id.strip()):
                    finding.details.update(
                        score=round(score.score, 1), scored_by=model.label, score_reason=score.reason
                    )
    # The run's risk is its code's: findings in test code count only when there is nothing else.
    counted = [finding for finding in shown if not finding.in_tests] or shown
    top = max((finding.details["score"] for finding in counted), default=0)
    summary.risk = {"score": top, "level": risk_level(top) if shown else "none", "by": scored_by}


def rule_score(finding: Finding) -> int:
    score = SEVERITY_SCORES[finding.severity] + CONFIDENCE_BONUS[finding.confidence]
    score += finding.verdict == "confirmed"
    score += bool(finding.details.get("also_reported_by"))
    return max(0, min(10, score))


def risk_level(score: float) -> str:
    return next((level for level, floor in RISK_LEVELS if score >= floor), "info")
