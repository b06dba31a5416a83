"""The Markdown report of a finished run (``report.md``).

It suits a pull-request comment: a table of findings by reviewer and severity, then the
findings grouped by file, each in a collapsible ``<details>`` block. It stays under GitHub's
comment size limit: past ``MAX_CHARS`` the remaining findings are counted, not listed.
"""

from __future__ import annotations

import html
import re
from itertools import groupby
from typing import Any

from framework.findings import SEVERITIES, Finding
from framework.run.summary import RunSummary

# GitHub refuses comments over 65,536 characters; leave room for the closing note.
MAX_CHARS = 60_000
FENCE_LANGUAGES = {".py": "python", ".pyi": "python", ".js": "javascript", ".ts": "typescript",
                   ".go": "go", ".rb": "ruby", ".java": "java", ".rs": "rust", ".sh": "sh",
                   ".yaml": "yaml", ".yml": "yaml", ".json": "json"}  # fmt: skip


def render(summary: RunSummary, findings: list[Finding], max_chars: int = MAX_CHARS) -> str:
    shown = [finding for finding in findings if finding.shown]
    lines = [f"# codepanel review of {_code(summary.repository)}", ""]
    lines += [_overview(summary, shown), ""]
    if summary.error:
        lines += [f"> **Error:** {_escape(summary.error)}", ""]
    for line in summary.attention():
        lines += [f"> **Attention:** {_escape(line)}", ""]
    lines += _executive(summary)
    lines += _table(summary, shown)
    size = sum(len(line) + 1 for line in lines)
    ordered = sorted(shown, key=lambda f: (f.file, f.line, f.rule_id))
    listed = 0
    for file, group in groupby(ordered, key=lambda f: f.file):
        items = list(group)
        block = [f"## {_code(file)}", ""]
        for finding in items:
            block += _details(finding)
        block.append("")
        block_size = sum(len(line) + 1 for line in block)
        if size + block_size > max_chars:
            break
        lines += block
        size += block_size
        listed += len(items)
    if listed < len(shown):
        lines += [(f"_{len(shown) - listed} more findings are not listed here, to keep this report short; "
                   "see `findings.json` or `report.html` in the run._"), ""]  # fmt: skip
    return "\n".join(lines)


def _overview(summary: RunSummary, shown: list[Finding]) -> str:
    text = (f"**{len(shown)} findings** in {summary.files_reviewed} files "
            f"(run `{summary.run_id}`, status **{summary.status}**).")  # fmt: skip
    counts = summary.counts
    hidden = [f"{count} {label}" for count, label in
              ((counts.suppressed, "suppressed"), (counts.baseline, "in the baseline"),
               (counts.outside_diff, "outside the diff"))
              if count]  # fmt: skip
    if hidden:
        text += f" Not shown: {', '.join(hidden)}."
    if scope := summary.diff:
        commit = f" ({_code(str(scope.get('commit'))[:12])})" if scope.get("commit") else ""
        which = "whole changed files" if scope.get("whole_files") else "changed lines only"
        text += f" Diff: {scope.get('files', 0)} files changed since {_code(scope.get('base'))}{commit}; {which}."
    if known := summary.baseline:
        text += f" Baseline: {known.get('new', 0)} new, {known.get('absent', 0)} fixed since it was made."
    return text


def _executive(summary: RunSummary) -> list[str]:
    lines = []
    if executive := summary.executive_summary:
        lines += ["## Summary", "", _escape(executive["text"]), ""]
        if risk := summary.risk:
            lines += [f"Overall risk: **{risk['level']}** (score {risk['score']}).", ""]
        lines += [f"_Written by {_escape(executive['by'])}._", ""]
    if usage_line := usage_text(summary.usage):
        lines += [usage_line, ""]
    return lines


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


def _table(summary: RunSummary, shown: list[Finding]) -> list[str]:
    header = ["Reviewer", "Status", *SEVERITIES, "Total"]
    lines = ["| " + " | ".join(header) + " |", "|---|---|" + "---:|" * (len(SEVERITIES) + 1)]
    names = list(summary.reviewers) or sorted({f.reviewer for f in shown})
    for name in names:
        entry = summary.reviewers.get(name)
        status = entry.status.label if entry else ""
        if entry and entry.error:
            status += f" ({_escape(entry.error)[:120]})"
        cells = [
            sum(f.reviewer == name and f.severity == level for f in shown) for level in SEVERITIES
        ]
        lines.append(
            f"| {_escape(name)} | {status} | " + " | ".join(map(str, cells)) + f" | {sum(cells)} |"
        )
    totals = [sum(f.severity == level for f in shown) for level in SEVERITIES]
    lines.append(
        "| **Total** | | "
        + " | ".join(f"**{count}**" for count in totals)
        + f" | **{len(shown)}** |"
    )
    return [*lines, ""]


def _details(finding: Finding) -> list[str]:
    cwe = f" CWE-{finding.cwe}" if finding.cwe else ""
    where = "repository" if finding.file == "." else f"line {finding.line}"
    lines = [
        "<details>",
        (
            f"<summary><b>{_escape(finding.severity)}</b> {where}: {_escape(finding.message)} "
            f"<code>{_escape(finding.reviewer)}/{_escape(finding.rule_id)}</code>{cwe}</summary>"
        ),
        "",
    ]
    if finding.recommendation:
        lines += [f"**Recommendation:** {_escape(finding.recommendation)}", ""]
    if finding.snippet:
        fence = "`" * max(
            3, 1 + max((len(run) for run in re.findall(r"`+", finding.snippet)), default=0)
        )
        language = next(
            (lang for suffix, lang in FENCE_LANGUAGES.items() if finding.file.endswith(suffix)), ""
        )
        lines += [f"{fence}{language}", finding.snippet, fence, ""]
    lines += [
        f"Confidence: {finding.confidence}. Fingerprint: `{finding.fingerprint}`.",
        "",
        "</details>",
    ]
    return lines


def _code(text: Any) -> str:
    """Inline code that holds any text: a fence longer than the backticks inside it."""
    text = " ".join(str(text).split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def _escape(text: Any) -> str:
    return html.escape(" ".join(str(text).split()), quote=False).replace("|", "\\|")
