"""The HTML report: one self-contained file, no network needed to open it.

At the top, what to read first: what the review did not do (plugins that failed, limits that cut
it, files no reviewer covered, reviewers that did not finish), the overall risk and the executive
summary, and "Fix first", the few findings of the highest priority, each linking to its entry.
Then the counts (an inline SVG bar chart, and a reviewer by severity table), and the findings
grouped by severity, then by file, those in test code last. Each finding shows the code around it
(``html_code``) and, for a data flow, its path from source to sink step by step, with each
step's line of code. Filters by severity, reviewer and test code are a few lines of inline
JavaScript; they also read the address's fragment
(``report.html#severity=high,critical&reviewer=security``), so a filtered view can be linked.

Everything from the reviewed repository is escaped, and a Content-Security-Policy allows only the
report's own script (by its hash) and no network at all.
"""

from __future__ import annotations

import base64
import hashlib
import html
from pathlib import Path
from typing import Any

from framework.findings import SEVERITIES, Finding
from framework.reports import contents
from framework.reports.html_assets import COLORS, CSS, SCRIPT
from framework.reports.html_code import CodeView
from framework.run.summary import RunSummary

# Findings past this many (in the report's order, most severe first) are listed without their
# code, to keep the file small.
MAX_WITH_CODE = 1_000
NOT_TRACED_NOTE = (
    '<p class="path-note note">Source: not traced (the reviewer could not follow where the data '
    "came from).</p>"
)


def render(
    summary: RunSummary, findings: list[Finding], source_dir: str | Path | None = None
) -> str:
    """The report of a finished run as one HTML document."""
    shown = [finding for finding in findings if finding.shown]
    groups = contents.groups(shown)
    code = CodeView(source_dir)
    with_code = _ask_for_code(groups, code)
    title = f"codepanel review of {summary.repository or summary.run_id}"
    script_hash = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    policy = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{script_hash}'"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{CSS}{code.css()}</style></head>",
        f'<body data-total="{len(shown)}">',
        f"<h1>{_e(title)}</h1>",
        _overview(summary, shown),
        _attention(summary),
        _risk(summary),
        _fix_first(shown),
        _rejected(findings),
        _summary(summary, shown),
        _filters(summary, shown),
        '<section id="findings">',
    ]
    for group in groups:
        parts.append(f'<section class="group" id="g-{group.key}" data-severity="{group.severity}" '
                     f'data-code="{"tests" if group.in_tests else "main"}"><h2>'
                     f'<span class="sev sev-{group.severity}">{group.severity}</span> {_e(group.title)} '
                     f'<span class="note group-count">({group.size})</span></h2>')  # fmt: skip
        for file, items in group.files:
            parts.append(f'<section class="file" data-file="{_e(file)}"><h3><code>{_e(file)}</code> '
                         f'<span class="note count">({len(items)})</span></h3>')  # fmt: skip
            parts.extend(
                _finding(finding, code if id(finding) in with_code else None) for finding in items
            )
            parts.append("</section>")
        parts.append("</section>")
    if not shown:
        parts.append('<p id="no-findings">No findings.</p>')
    parts += ["</section>", f"<script>{SCRIPT}</script>", "</body></html>", ""]
    return "\n".join(parts)


def _ask_for_code(groups: list[contents.Group], code: CodeView) -> set[int]:
    """Ask for the code of the first ``MAX_WITH_CODE`` findings and of their paths' steps."""
    chosen: set[int] = set()
    for group in groups:
        for _, items in group.files:
            for finding in items:
                if len(chosen) >= MAX_WITH_CODE:
                    return chosen
                chosen.add(id(finding))
                code.want_around(finding)
                if (path := contents.flow(finding)) is not None:
                    for step in path.steps:
                        if step.line is not None:
                            code.want(step.file, step.line, step.line)
    return chosen


def _overview(summary: RunSummary, shown: list[Finding]) -> str:
    counts = summary.counts
    hidden = [f"{count} {label}" for count, label in
              ((counts.suppressed, "suppressed"), (counts.baseline, "in the baseline"),
               (counts.outside_diff, "outside the diff"),
               (counts.below_confidence, "below --min-confidence"))
              if count]  # fmt: skip
    text = (f'<p id="overview"><b id="total-count">{len(shown)}</b> findings in '
            f"{_e(summary.files_reviewed)} files; run <code>{_e(summary.run_id)}</code>, "
            f"status <b>{_e(summary.status.label)}</b>")  # fmt: skip
    if tests := contents.in_tests_note(summary, shown):
        text += f"; {_e(tests)}"
    if hidden:
        text += f' <span class="note">(not shown: {_e(", ".join(hidden))})</span>'
    return text + ".</p>"


def _attention(summary: RunSummary) -> str:
    """What the review did not do, in a box nobody misses."""
    lines = contents.attention(summary)
    if not lines and not summary.error:
        return ""
    items = []
    if summary.error:
        items.append(f'<li class="error"><b>Error:</b> {_e(summary.error)}</li>')
    items += [f"<li><b>Attention:</b> {_e(line)}</li>" for line in lines]
    return (f'<section id="attention" role="alert"><h2>What this review did not do</h2>'
            f'<ul>{"".join(items)}</ul></section>')  # fmt: skip


def _risk(summary: RunSummary) -> str:
    """The overall risk and the executive summary."""
    parts = []
    risk = summary.risk if isinstance(summary.risk, dict) else {}
    level = str(risk.get("level", ""))
    if level:
        score = f" (highest priority {_e(risk['score'])} of 10)" if "score" in risk else ""
        by = f' <span class="note">scored by {_e(risk["by"])}</span>' if risk.get("by") else ""
        parts.append(f'<p>Overall risk: <span class="level">{_e(level)}</span>{score}{by}</p>')
    executive = summary.executive_summary if isinstance(summary.executive_summary, dict) else {}
    if executive.get("text"):
        parts.append(f'<p id="executive-summary">{_e(executive["text"])}</p>')
        if executive.get("by"):
            parts.append(f'<p class="note">Written by {_e(executive["by"])}.</p>')
    if not parts:
        return ""
    css_class = f"risk-{level}" if level in COLORS else ""
    return f'<section id="risk" class="{css_class}">{"".join(parts)}</section>'


def _fix_first(shown: list[Finding]) -> str:
    """The few findings of the highest priority, each a link to its entry below."""
    top = contents.fix_first(shown)
    if not top:
        return ""
    items = []
    for finding in top:
        score = contents.score(finding)
        priority = f", priority {score:g}" if score is not None else ""
        tests = ' <span class="tests">in test code</span>' if finding.in_tests else ""
        items.append(
            f'<li data-severity="{_e(finding.severity)}"><span class="sev sev-{_e(finding.severity)}">'
            f'{_e(finding.severity)}</span> <a href="#f-{_e(finding.fingerprint)}">{_e(finding.message)}</a>'
            f'{tests}<br><span class="note"><code>{_e(_where(finding))}</code> '
            f"{_e(finding.reviewer)}/{_e(finding.rule_id)}{priority}</span></li>"
        )
    return f'<section id="fix-first"><h2>Fix first</h2><ol>{"".join(items)}</ol></section>'


def _rejected(findings: list[Finding]) -> str:
    """The high and critical findings an agent rejected, marked so."""
    rejected = contents.rejected(findings)
    if not rejected:
        return ""
    items = [
        f'<li class="rejected" data-severity="{_e(f.severity)}"><span class="sev sev-{_e(f.severity)}">'
        f"{_e(f.severity)}</span> <b>rejected</b> {_e(f.message)}<br><span class=\"note\"><code>{_e(_where(f))}</code> "
        f"{_e(f.reviewer)}/{_e(f.rule_id)}: {_e(contents.rejection(f))}</span></li>"
        for f in rejected
    ]
    return ('<section id="rejected"><h2>Rejected by an agent</h2><p class="note">High and critical findings an '
            "agent rejected. Text in a repository can talk an agent out of a real problem: check them.</p>"
            f'<ol>{"".join(items)}</ol></section>')  # fmt: skip


def _summary(summary: RunSummary, shown: list[Finding]) -> str:
    by_severity = {level: sum(f.severity == level for f in shown) for level in SEVERITIES}
    reviewers = list(summary.reviewers) or sorted({f.reviewer for f in shown})
    rows = ["<tr><th>reviewer</th><th>status</th>" + "".join(f"<th>{level}</th>" for level in SEVERITIES)
            + "<th>total</th></tr>"]  # fmt: skip
    for name in reviewers:
        entry = summary.reviewers.get(name)
        cells = [
            sum(f.reviewer == name and f.severity == level for f in shown) for level in SEVERITIES
        ]
        status = entry.status.label if entry else ""
        if entry and entry.error:
            status += f": {entry.error}"
        rows.append(f'<tr data-reviewer="{_e(name)}"><td>{_e(name)}</td><td>{_e(status)}</td>'
                    + "".join(f"<td>{count}</td>" for count in cells) + f"<td>{sum(cells)}</td></tr>")  # fmt: skip
    table = '<table class="counts" id="by-reviewer">' + "".join(rows) + "</table>"
    return f'<section id="summary"><h2>Summary</h2>{_chart(by_severity)}{table}</section>'


def _chart(by_severity: dict[str, int]) -> str:
    """Horizontal bars, one per severity, drawn as inline SVG."""
    width, bar, gap, label = 520, 22, 8, 80
    top = max(by_severity.values(), default=0) or 1
    height = len(by_severity) * (bar + gap) + gap
    items = []
    for row, (level, count) in enumerate(by_severity.items()):
        y = gap + row * (bar + gap)
        length = round((width - label - 60) * count / top)
        items.append(
            f'<g class="bar" data-severity="{level}" data-count="{count}">'
            f'<text x="{label - 8}" y="{y + bar * 0.7:.1f}" text-anchor="end">{level}</text>'
            f'<rect x="{label}" y="{y}" width="{length}" height="{bar}" fill="{COLORS[level]}"></rect>'
            f'<text x="{label + length + 6}" y="{y + bar * 0.7:.1f}">{count}</text></g>'
        )
    return (f'<svg id="chart" role="img" aria-label="Findings by severity" xmlns="http://www.w3.org/2000/svg" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-size="13">'
            + "".join(items) + "</svg>")  # fmt: skip


def _filters(summary: RunSummary, shown: list[Finding]) -> str:
    def box(kind: str, value: str, count: int, label: str | None = None) -> str:
        return (f'<label><input type="checkbox" name="{kind}" value="{_e(value)}" checked> '
                f"{_e(label or value)} ({count})</label> ")  # fmt: skip

    reviewers = list(dict.fromkeys([*summary.reviewers, *(f.reviewer for f in shown)]))
    severity_boxes = "".join(
        box("severity", level, sum(f.severity == level for f in shown)) for level in SEVERITIES
    )
    reviewer_boxes = "".join(
        box("reviewer", name, sum(f.reviewer == name for f in shown)) for name in reviewers
    )
    in_tests = sum(f.in_tests for f in shown)
    code_boxes = (
        "<fieldset><legend>Code</legend>" + box("code", "main", len(shown) - in_tests, "not tests")
        + box("code", "tests", in_tests, "test code") + "</fieldset>"
        if in_tests else ""
    )  # fmt: skip
    return (
        '<section id="filters"><fieldset><legend>Severity</legend>' + severity_boxes + "</fieldset>"
        "<fieldset><legend>Reviewer</legend>" + reviewer_boxes + "</fieldset>" + code_boxes +
        f'<p>Showing <b id="shown-count">{len(shown)}</b> of {len(shown)} findings.</p></section>'
    )  # fmt: skip


def _finding(finding: Finding, code: CodeView | None) -> str:
    cwe = f' <span class="cwe">CWE-{int(finding.cwe)}</span>' if finding.cwe else ""
    tests = ' <span class="tests">in test code</span>' if finding.in_tests else ""
    score = contents.score(finding)
    priority = f", priority {score:g}" if score is not None else ""
    parts = [
        (
            f'<article class="finding{" in-tests" if finding.in_tests else ""}" id="f-{_e(finding.fingerprint)}" '
            f'data-severity="{_e(finding.severity)}" data-reviewer="{_e(finding.reviewer)}" '
            f'data-code="{"tests" if finding.in_tests else "main"}" data-rule="{_e(finding.rule_id)}">'
        ),
        (
            f'<h4><span class="sev sev-{_e(finding.severity)}">{_e(finding.severity)}</span> '
            f"{_e(finding.message)} <code>{_e(finding.reviewer)}/{_e(finding.rule_id)}</code>{cwe}{tests}</h4>"
        ),
        (
            f'<p class="where">{_e(_where(finding))} <span class="note">confidence '
            f"{_e(finding.confidence)}{priority}</span></p>"
        ),
    ]
    if code is not None and (snippet := code.around(finding)):
        parts.append(snippet)
    parts.append(_path(finding, code))
    if finding.recommendation:
        parts.append(f"<p><b>Recommendation:</b> {_e(finding.recommendation)}</p>")
    parts.append("</article>")
    return "\n".join(part for part in parts if part)


def _path(finding: Finding, code: CodeView | None) -> str:
    """The path from source to sink, step by step, each with its line of code where known."""
    path = contents.flow(finding)
    untraced = contents.source_not_traced(finding)
    if path is None:
        return NOT_TRACED_NOTE if untraced else ""
    half = len(path.steps) // 2 if path.omitted else -1
    items = []
    previous: tuple[str, int | None] | None = None
    for number, step in enumerate(path.steps):
        if number == half:
            items.append(f'<li class="omitted note">... {path.omitted} more steps ...</li>')
        # Two steps on one line (a source passed on at once) show that line once.
        source = "" if (step.file, step.line) == previous else _step_code(code, step)
        previous = (step.file, step.line)
        items.append(
            f'<li class="step"><code class="at">{_e(step.where)}</code> {_e(step.what)}{source}</li>'
        )
    return (f'<div class="flow"><p><b>Path from source to sink</b> '
            f'<span class="note">({len(path.steps) + path.omitted} steps)</span></p>'
            f'{NOT_TRACED_NOTE if untraced else ""}<ol class="path">{"".join(items)}</ol></div>')  # fmt: skip


def _step_code(code: CodeView | None, step: contents.Step) -> str:
    line = code.line(step.file, step.line) if code is not None and step.line else None
    if line is None:
        return ""
    return (f'<div class="code"><pre><span class="line"><span class="linenos">{step.line}</span>'
            f"{line}</span></pre></div>")  # fmt: skip


def _where(finding: Finding) -> str:
    return finding.file if finding.file == "." else f"{finding.file}:{finding.line}"


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)
