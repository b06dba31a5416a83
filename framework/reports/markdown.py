"""The Markdown report of a finished run (``report.md``).

It suits a pull-request comment. At the top, what the review did not do (in a GitHub alert box),
"Fix first", the executive summary and a table of findings by reviewer and severity; then the
findings grouped by severity, then by file, those in test code last, each in a collapsible
``<details>`` block with its code line and, for a data flow, its path from source to sink as a
numbered list. It stays under GitHub's comment size limit: past ``MAX_CHARS`` the remaining
findings (the least severe, since they come last) are counted, not listed.
"""

from __future__ import annotations

import html
import re
from typing import Any

from framework.findings import SEVERITIES, Finding
from framework.reports import contents
from framework.run.summary import RunSummary

# GitHub refuses comments over 65,536 characters; leave room for the closing note.
MAX_CHARS = 60_000
# A longer path keeps its first and last steps here (report.html and report.sarif have them all).
MAX_STEPS = 12
FENCE_LANGUAGES = {".py": "python", ".pyi": "python", ".js": "javascript", ".ts": "typescript",
                   ".go": "go", ".rb": "ruby", ".java": "java", ".rs": "rust", ".sh": "sh",
                   ".yaml": "yaml", ".yml": "yaml", ".json": "json"}  # fmt: skip


def render(summary: RunSummary, findings: list[Finding], max_chars: int = MAX_CHARS) -> str:
    shown = [finding for finding in findings if finding.shown]
    lines = [f"# codepanel review of {_code(summary.repository)}", ""]
    lines += [_overview(summary, shown), ""]
    lines += _attention(summary)
    lines += _fix_first(shown)
    lines += _rejected(findings)
    lines += _executive(summary)
    lines += _table(summary, shown)
    size = sum(len(line) + 1 for line in lines)
    listed = 0
    full = False
    for group in contents.groups(shown):
        heading = [f"## {group.title} ({group.size})", ""]
        for file, items in group.files:
            heading += [f"### {_code(file)}", ""]
            for finding in items:
                block = [*heading, *_details(finding)]
                block_size = sum(len(line) + 1 for line in block)
                if size + block_size > max_chars:
                    full = True
                    break
                lines += block
                size += block_size
                listed += 1
                heading = []
            if full:
                break
            lines.append("")
            size += 1
            heading = []
        if full:
            break
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
               (counts.outside_diff, "outside the diff"),
               (counts.below_confidence, "below --min-confidence"))
              if count]  # fmt: skip
    if hidden:
        text += f" Not shown: {', '.join(hidden)}."
    if tests := contents.in_tests_note(summary, shown):
        text += f" {tests[:1].upper()}{tests[1:]}."
    if scope := summary.diff:
        commit = f" ({_code(str(scope.get('commit'))[:12])})" if scope.get("commit") else ""
        which = "whole changed files" if scope.get("whole_files") else "changed lines only"
        text += f" Diff: {scope.get('files', 0)} files changed since {_code(scope.get('base'))}{commit}; {which}."
    if known := summary.baseline:
        text += f" Baseline: {known.get('new', 0)} new, {known.get('absent', 0)} fixed since it was made."
    return text


def _attention(summary: RunSummary) -> list[str]:
    """The run's error and what the review did not do, in GitHub alert boxes."""
    lines = []
    if summary.error:
        lines += ["> [!CAUTION]", f"> **Error:** {_escape(summary.error)}", ""]
    if attention := contents.attention(summary):
        lines.append("> [!WARNING]")
        for number, line in enumerate(attention):
            lines += [">"] if number else []
            lines.append(f"> **Attention:** {_escape(line)}")
        lines.append("")
    return lines


def _fix_first(shown: list[Finding]) -> list[str]:
    top = contents.fix_first(shown)
    if not top:
        return []
    lines = ["## Fix first", ""]
    for number, finding in enumerate(top, start=1):
        score = contents.score(finding)
        priority = f", priority {score:g}" if score is not None else ""
        tests = " _(in test code)_" if finding.in_tests else ""
        lines.append(
            f"{number}. **{finding.severity}** {_code(_where(finding))} {_escape(finding.message)} "
            f"({_code(f'{finding.reviewer}/{finding.rule_id}')}{priority}){tests}"
        )
    return [*lines, ""]


def _rejected(findings: list[Finding]) -> list[str]:
    rejected = contents.rejected(findings)
    if not rejected:
        return []
    lines = ["## Rejected by an agent", "",
             ("High and critical findings an agent rejected. Text in a repository can talk an agent out of a "
              "real problem: check them."), ""]  # fmt: skip
    for finding in rejected:
        lines.append(f"- **{finding.severity}**, **rejected** {_code(_where(finding))} {_escape(finding.message)} "
                     f"({_code(f'{finding.reviewer}/{finding.rule_id}')}): {_escape(contents.rejection(finding))}")  # fmt: skip
    return [*lines, ""]


def _executive(summary: RunSummary) -> list[str]:
    lines = []
    executive = summary.executive_summary if isinstance(summary.executive_summary, dict) else {}
    risk = summary.risk if isinstance(summary.risk, dict) else {}
    if executive.get("text") or risk.get("level"):
        lines += ["## Summary", ""]
        if risk.get("level"):
            score = f" (highest priority {_escape(risk['score'])} of 10)" if "score" in risk else ""
            lines += [f"Overall risk: **{_escape(risk['level'])}**{score}.", ""]
        if executive.get("text"):
            lines += [_escape(executive["text"]), ""]
            lines += [f"_Written by {_escape(executive.get('by', 'rules'))}._", ""]
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
    tests = " <i>(in test code)</i>" if finding.in_tests else ""
    lines = [
        "<details>",
        (
            f"<summary><b>{_escape(finding.severity)}</b> {where}: {_escape(finding.message)} "
            f"<code>{_escape(finding.reviewer)}/{_escape(finding.rule_id)}</code>{cwe}{tests}</summary>"
        ),
        "",
    ]
    if finding.recommendation:
        lines += [f"**Recommendation:** {_escape(finding.recommendation)}", ""]
    if finding.snippet:
        lines += [*_fenced(finding.snippet, finding.file), ""]
    lines += _path(finding)
    score = contents.score(finding)
    priority = f" Priority: {score:g}." if score is not None else ""
    lines += [
        f"Confidence: {finding.confidence}.{priority} Fingerprint: {_code(finding.fingerprint)}.",
        "",
        "</details>",
    ]
    return lines


def _path(finding: Finding) -> list[str]:
    """The path from source to sink as a numbered list of steps."""
    path = contents.flow(finding, max_steps=MAX_STEPS)
    untraced = " (source not traced)" if contents.source_not_traced(finding) else ""
    if path is None:
        return ["**Source:** not traced.", ""] if untraced else []
    lines = [f"**Path from source to sink**{untraced}:", ""]
    half = len(path.steps) // 2 if path.omitted else -1
    for index, step in enumerate(path.steps):
        if index == half:
            lines.append(f"{index + 1}. _... {path.omitted} more steps ..._")
        number = index + 1 + (path.omitted if half >= 0 and index >= half else 0)
        lines.append(f"{number}. {_code(step.where)} {_escape(step.what)}")
    return [*lines, ""]


def _fenced(text: str, file: str) -> list[str]:
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
    language = next((lang for suffix, lang in FENCE_LANGUAGES.items() if file.endswith(suffix)), "")
    return [f"{fence}{language}", text, fence]


def _where(finding: Finding) -> str:
    return finding.file if finding.file == "." else f"{finding.file}:{finding.line}"


def _code(text: Any) -> str:
    """Inline code that holds any text: a fence longer than the backticks inside it."""
    text = " ".join(str(text).split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def _escape(text: Any) -> str:
    """Text that stays text: no HTML, no table cell breaks, and no links or images (their
    brackets become character references, which Markdown never reads as syntax)."""
    text = html.escape(" ".join(str(text).split()), quote=False)
    return text.replace("|", "\\|").replace("[", "&#91;").replace("]", "&#93;")


# For other Markdown that codepanel writes (framework.post's comments): the same escaping.
escape = _escape
code = _code
