"""The HTML report: one self-contained file, no network needed to open it.

A summary (counts as an inline SVG bar chart, and a reviewer by severity table), then the findings
grouped by file, each with the code around it highlighted (read from the run's ``source/``
snapshot, through ``SourceTree`` so no path leaves it), and filters by reviewer and severity in a
few lines of inline JavaScript. The filters also read the address's fragment
(``report.html#severity=high,critical&reviewer=security``), so a filtered view can be linked.

Everything from the reviewed repository is escaped, and a Content-Security-Policy allows only the
report's own script (by its hash) and no network at all.
"""

from __future__ import annotations

import base64
import hashlib
import html
from itertools import groupby
from pathlib import Path
from typing import Any

from framework.errors import PathRefused
from framework.findings import SEVERITIES, Finding
from framework.run.summary import RunSummary
from framework.tree import SourceTree

CONTEXT_LINES = 3
MAX_SPAN_LINES = 20
MAX_LINE_CHARS = 400
# Findings past this many are listed without their code, to keep the file small.
MAX_WITH_CODE = 1_000
COLORS = {
    "critical": "#7b1fa2",
    "high": "#c62828",
    "medium": "#ef6c00",
    "low": "#1565c0",
    "info": "#607d8b",
}

CSS = (
    """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0 auto;max-width:1100px;padding:1em 2em;color:#1a1a1a}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
table.counts{border-collapse:collapse;margin:.5em 0}table.counts td,table.counts th{border:1px solid #ddd;padding:.2em .6em;text-align:right}
table.counts th:nth-child(-n+2),table.counts td:nth-child(-n+2){text-align:left}
.sev{display:inline-block;min-width:4.5em;text-align:center;border-radius:3px;color:#fff;font-size:.85em;padding:0 .3em}
"""
    + "".join(f".sev-{level}{{background:{color}}}" for level, color in COLORS.items())
    + """
#filters{position:sticky;top:0;background:#fafafa;border:1px solid #ddd;padding:.4em .8em;z-index:1}
#filters fieldset{display:inline-block;border:0;margin:0 1em 0 0;padding:0}
.finding{border:1px solid #e3e3e3;border-radius:4px;margin:.6em 0;padding:.4em .8em}
.finding h3{font-size:1em;margin:.2em 0}.where{color:#555;margin:.2em 0}
.code{overflow-x:auto;font-size:12.5px}.code pre{margin:.3em 0;padding:.3em;background:#f6f8fa}
.code .line{display:block}.code .hll{background:#fff3b0}
.code .linenos{color:#999;display:inline-block;min-width:3em;padding-right:.8em;text-align:right;user-select:none}
.note{color:#555}.error{color:#c62828}
"""
)

SCRIPT = """
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll('#filters input[type=checkbox]'));
  var findings = Array.prototype.slice.call(document.querySelectorAll('.finding'));
  var files = Array.prototype.slice.call(document.querySelectorAll('.file'));
  function chosen(kind) {
    return boxes.filter(function (b) { return b.name === kind && b.checked; }).map(function (b) { return b.value; });
  }
  function apply() {
    var severities = chosen('severity'), reviewers = chosen('reviewer'), shown = 0;
    findings.forEach(function (f) {
      var visible = severities.indexOf(f.dataset.severity) >= 0 && reviewers.indexOf(f.dataset.reviewer) >= 0;
      f.hidden = !visible;
      if (visible) { shown += 1; }
    });
    files.forEach(function (g) {
      var count = g.querySelectorAll('.finding:not([hidden])').length;
      g.hidden = count === 0;
      g.querySelector('.count').textContent = '(' + count + ')';
    });
    document.getElementById('shown-count').textContent = String(shown);
    document.body.dataset.shown = String(shown);
  }
  function fromFragment() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ''));
    ['severity', 'reviewer'].forEach(function (kind) {
      if (!params.has(kind)) { return; }
      var wanted = params.get(kind).split(',');
      boxes.forEach(function (b) { if (b.name === kind) { b.checked = wanted.indexOf(b.value) >= 0; } });
    });
  }
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  window.addEventListener('hashchange', function () { fromFragment(); apply(); });
  fromFragment();
  apply();
  document.body.dataset.ready = 'true';
})();
"""


def render(
    summary: RunSummary, findings: list[Finding], source_dir: str | Path | None = None
) -> str:
    """The report of a finished run as one HTML document."""
    shown = [finding for finding in findings if finding.shown]
    tree = (
        SourceTree(source_dir, []) if source_dir is not None and Path(source_dir).is_dir() else None
    )
    code = _CodeView(tree)
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
        _summary(summary, shown),
        _filters(summary, shown),
        '<section id="findings">',
    ]
    ordered = sorted(shown, key=lambda f: (f.file, f.line, f.rule_id))
    rendered = 0
    for file, group in groupby(ordered, key=lambda f: f.file):
        items = list(group)
        parts.append(f'<section class="file" data-file="{_e(file)}"><h2><code>{_e(file)}</code> '
                     f'<span class="note count">({len(items)})</span></h2>')  # fmt: skip
        for finding in items:
            parts.append(_finding(finding, code if rendered < MAX_WITH_CODE else None))
            rendered += 1
        parts.append("</section>")
    if not shown:
        parts.append('<p id="no-findings">No findings.</p>')
    parts += ["</section>", f"<script>{SCRIPT}</script>", "</body></html>", ""]
    return "\n".join(parts)


def _overview(summary: RunSummary, shown: list[Finding]) -> str:
    counts = summary.counts
    hidden = [f"{count} {label}" for count, label in
              ((counts.suppressed, "suppressed"), (counts.baseline, "in the baseline"),
               (counts.outside_diff, "outside the diff"))
              if count]  # fmt: skip
    text = (f'<p id="overview"><b id="total-count">{len(shown)}</b> findings in '
            f"{_e(summary.files_reviewed)} files; run <code>{_e(summary.run_id)}</code>, "
            f"status <b>{_e(summary.status)}</b>")  # fmt: skip
    if hidden:
        text += f' <span class="note">(not shown: {_e(", ".join(hidden))})</span>'
    text += ".</p>"
    if summary.error:
        text += f'<p class="error">Error: {_e(summary.error)}</p>'
    for line in summary.attention():
        text += f'<p class="error">Attention: {_e(line)}</p>'
    return text


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
    def box(kind: str, value: str, count: int) -> str:
        return (f'<label><input type="checkbox" name="{kind}" value="{_e(value)}" checked> '
                f"{_e(value)} ({count})</label> ")  # fmt: skip

    reviewers = list(dict.fromkeys([*summary.reviewers, *(f.reviewer for f in shown)]))
    severity_boxes = "".join(
        box("severity", level, sum(f.severity == level for f in shown)) for level in SEVERITIES
    )
    reviewer_boxes = "".join(
        box("reviewer", name, sum(f.reviewer == name for f in shown)) for name in reviewers
    )
    return (
        '<section id="filters"><fieldset><legend>Severity</legend>' + severity_boxes + "</fieldset>"
        "<fieldset><legend>Reviewer</legend>" + reviewer_boxes + "</fieldset>"
        f'<p>Showing <b id="shown-count">{len(shown)}</b> of {len(shown)} findings.</p></section>'
    )


def _finding(finding: Finding, code: _CodeView | None) -> str:
    cwe = f' <span class="cwe">CWE-{int(finding.cwe)}</span>' if finding.cwe else ""
    where = finding.file if finding.file == "." else f"{finding.file}:{finding.line}"
    parts = [
        (
            f'<article class="finding" id="f-{_e(finding.fingerprint)}" data-severity="{_e(finding.severity)}" '
            f'data-reviewer="{_e(finding.reviewer)}" data-rule="{_e(finding.rule_id)}">'
        ),
        (
            f'<h3><span class="sev sev-{_e(finding.severity)}">{_e(finding.severity)}</span> '
            f"{_e(finding.message)} <code>{_e(finding.reviewer)}/{_e(finding.rule_id)}</code>{cwe}</h3>"
        ),
        f'<p class="where">{_e(where)} <span class="note">confidence {_e(finding.confidence)}</span></p>',
    ]
    if code is not None and (snippet := code.around(finding)):
        parts.append(snippet)
    if finding.recommendation:
        parts.append(f"<p><b>Recommendation:</b> {_e(finding.recommendation)}</p>")
    parts.append("</article>")
    return "\n".join(parts)


class _CodeView:
    """Highlighted code around findings, read from the snapshot (Pygments, inline CSS classes)."""

    def __init__(self, tree: SourceTree | None):
        from pygments.formatters import HtmlFormatter

        self.tree = tree
        # One formatter for every snippet (building one costs more than highlighting a snippet);
        # line numbers and the marked lines are added around its output.
        self.formatter = HtmlFormatter(cssclass="code", nowrap=True)
        self.lines: dict[str, list[str]] = {}
        self.lexers: dict[str, Any] = {}

    def css(self) -> str:
        return self.formatter.get_style_defs(".code")

    def around(self, finding: Finding) -> str:
        from pygments import highlight

        lines = self._lines(finding.file)
        if not lines or finding.line > len(lines):
            return ""
        end = min(
            max(finding.end_line or finding.line, finding.line),
            finding.line + MAX_SPAN_LINES,
            len(lines),
        )
        first = max(1, finding.line - CONTEXT_LINES)
        last = min(len(lines), end + CONTEXT_LINES)
        text = "\n".join(line[:MAX_LINE_CHARS] for line in lines[first - 1 : last]) + "\n"
        rows = highlight(text, self._lexer(finding.file), self.formatter).split("\n")
        out = []
        for number, row in zip(range(first, last + 1), rows, strict=False):
            marked = " hll" if finding.line <= number <= end else ""
            out.append(f'<span class="line{marked}"><span class="linenos">{number}</span>{row}</span>')
        return f'<div class="code"><pre>{"".join(out)}</pre></div>'

    def _lines(self, path: str) -> list[str]:
        if path not in self.lines:
            try:
                self.lines[path] = (
                    self.tree.read_text(path).splitlines() if self.tree is not None else []
                )
            except (OSError, PathRefused):
                self.lines[path] = []
        return self.lines[path]

    def _lexer(self, path: str) -> Any:
        from pygments.lexers import TextLexer, get_lexer_for_filename
        from pygments.util import ClassNotFound

        suffix = Path(path).suffix.lower() or Path(path).name
        if suffix not in self.lexers:
            try:
                self.lexers[suffix] = get_lexer_for_filename(
                    Path(path).name, stripnl=False, ensurenl=True
                )
            except ClassNotFound:
                self.lexers[suffix] = TextLexer(stripnl=False)
        return self.lexers[suffix]


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)
