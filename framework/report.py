"""Rendering a finished run as text: JSON and Markdown (the CLI draws the table itself)."""

from __future__ import annotations

import json
from itertools import groupby
from typing import Any

from framework.findings import SEVERITIES, Finding

STATUS_LABELS = {"ok": "ok", "partial": "partial", "failed": "FAILED", "timed_out": "TIMED OUT"}


def as_json(summary: dict[str, Any], findings: list[Finding]) -> str:
    return json.dumps(
        {"summary": summary, "findings": [finding.to_dict() for finding in findings]},
        indent=2,
        ensure_ascii=False,
    )


def markdown(summary: dict[str, Any], findings: list[Finding]) -> str:
    shown = [finding for finding in findings if not finding.hidden]
    lines = [f"# codepanel review of `{summary.get('repository')}`", ""]
    counts = summary["counts"]["by_severity"]
    lines += [
        f"**{len(shown)} findings** in {summary.get('files_reviewed', 0)} files "
        f"(run `{summary['run_id']}`, status **{summary['status']}**).",
        "",
    ]
    if summary.get("error"):
        lines += [f"> **Error:** {summary['error']}", ""]
    if executive := summary.get("executive_summary"):
        lines += ["## Summary", "", _escape(executive["text"]), ""]
        risk = summary.get("risk") or {}
        if risk:
            lines += [f"Overall risk: **{risk['level']}** (score {risk['score']}).", ""]
        lines += [f"_Written by {_escape(executive['by'])}._", ""]
    if usage_line := usage_text(summary.get("usage") or {}):
        lines += [usage_line, ""]
    lines += ["| Severity | " + " | ".join(SEVERITIES) + " |", "|---" * (len(SEVERITIES) + 1) + "|"]
    lines += ["| Findings | " + " | ".join(str(counts[level]) for level in SEVERITIES) + " |", ""]
    lines += ["| Reviewer | Status | Findings | Seconds |", "|---|---|---|---|"]
    for name, entry in summary["reviewers"].items():
        status = STATUS_LABELS.get(entry["status"], entry["status"])
        if entry.get("error"):
            status += f" ({_escape(entry['error'])[:120]})"
        lines.append(f"| {name} | {status} | {entry.get('findings', 0)} | {entry.get('duration') or '-'} |")
    lines.append("")
    for file, group in groupby(sorted(shown, key=lambda f: (f.file, f.line)), key=lambda f: f.file):
        lines += [f"## `{file}`", ""]
        for finding in group:
            cwe = f" CWE-{finding.cwe}" if finding.cwe else ""
            lines.append("<details>")
            lines.append(
                f"<summary><b>{finding.severity}</b> line {finding.line}: "
                f"{_escape(finding.message)} <code>{finding.reviewer}/{finding.rule_id}</code>{cwe}</summary>"
            )
            lines.append("")
            if finding.recommendation:
                lines += [f"**Recommendation:** {_escape(finding.recommendation)}", ""]
            if finding.snippet:
                lines += ["```", finding.snippet.replace("```", "'''"), "```", ""]
            lines += [f"Confidence: {finding.confidence}. Fingerprint: `{finding.fingerprint}`.", ""]
            lines.append("</details>")
        lines.append("")
    return "\n".join(lines)


def usage_text(usage: dict[str, Any]) -> str:
    """One sentence on the models' usage and estimated cost, or '' when no model was called."""
    if not usage.get("model_calls"):
        return ""
    cost = usage.get("estimated_cost_usd")
    text = f"Models: {usage['model_calls']} calls, {usage.get('total_tokens', 0)} tokens"
    if cost is not None:
        text += f", about ${cost:.4f}"
        if not usage.get("cost_complete", True):
            text += " (some models have no known price)"
    return text + "."


def _escape(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
