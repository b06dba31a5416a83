"""The Markdown, SARIF and HTML reports of one run agree: the same "Fix first", the same order, the
same paths, and each says what the review did not do."""

from __future__ import annotations

import json
import re

from framework.findings import Finding, sort_key
from framework.reports import contents, html_report, markdown, sarif
from framework.run.summary import RunSummary

SUMMARY = RunSummary.model_validate({
    "run_id": "20260101T000000Z-00000000", "repository": "demo", "status": "incomplete", "files_reviewed": 4,
    "reviewers": {"security": {"status": "partial", "notes": ["cut by source.max_files"]}, "style": {"status": "ok"}},
    "plugin_problems": ["plugin 'broken' failed to load: boom"],
    "limits_hit": ["source.max_files (4): 4 of 9 files fetched"],
    "uncovered": {"JavaScript": 5},
    "risk": {"score": 9, "level": "critical", "by": "rules"},
})  # fmt: skip
PATH = [{"file": "app/views.py", "line": 3, "what": "source: request.args"},
        {"file": "app/db.py", "line": 8, "what": "reaches cursor.execute()"}]  # fmt: skip


def made(rule, file, line, severity, score, **extra) -> Finding:
    finding = Finding(rule_id=rule, message=f"{rule} at {file}", file=file, line=line, severity=severity,
                      reviewer="security", details={"score": score, **extra.pop("details", {})}, **extra)  # fmt: skip
    return finding.with_fingerprint(f"{rule} {file} {line}")


FINDINGS = sorted([
    made("sql-injection", "app/db.py", 8, "high", 9, details={"path": PATH}),
    made("command-injection", "tests/test_x.py", 2, "critical", 10, in_tests=True),
    made("weak-hash", "app/util.py", 4, "medium", 5),
    made("F401", "app/util.py", 1, "low", 3),
    made("weak-random", "app/util.py", 9, "low", 4),
], key=sort_key)  # fmt: skip


def test_every_report_says_what_the_review_did_not_do():
    lines = SUMMARY.attention()
    assert len(lines) == 3
    text = markdown.render(SUMMARY, FINDINGS)
    page = html_report.render(SUMMARY, FINDINGS)
    log = json.dumps(sarif.log(SUMMARY, FINDINGS))
    for line in lines:
        assert f"> **Attention:** {line}" in text
        assert f"<li><b>Attention:</b> {line.replace(chr(39), '&#x27;')}</li>" in page
        assert json.dumps(line) in log
    # ...before any finding.
    assert text.index("**Attention:**") < text.index("## Fix first") < text.index("<details>")
    assert page.index('id="attention"') < page.index('id="fix-first"') < page.index('class="finding')


def test_fix_first_and_the_order_of_findings_are_the_same_everywhere():
    top = [f.fingerprint for f in contents.fix_first(FINDINGS)]
    assert [f.rule_id for f in contents.fix_first(FINDINGS)] == ["sql-injection", "weak-hash", "weak-random", "F401"]
    text = markdown.render(SUMMARY, FINDINGS)
    page = html_report.render(SUMMARY, FINDINGS)
    fix_first_md = text[text.index("## Fix first") : text.index("## Summary")]
    assert [m for m in re.findall(r"`security/([\w-]+)`", fix_first_md)] == [
        "sql-injection", "weak-hash", "weak-random", "F401",
    ]  # fmt: skip
    fix_first_html = page[page.index('id="fix-first"') : page.index('id="summary"')]
    assert re.findall(r'href="#f-(\w+)"', fix_first_html) == top
    # The findings, in the same order: by severity, then file and line, test code last.
    expected = ["sql-injection", "weak-hash", "F401", "weak-random", "command-injection"]
    assert re.findall(r"<code>security/([\w-]+)</code>", text[text.index("<details>") :]) == expected
    assert re.findall(r'data-rule="([\w-]+)"', page) == expected
    results = sarif.log(SUMMARY, FINDINGS)["runs"][0]["results"]
    assert [r["ruleId"].split("/")[1] for r in results] == ["sql-injection", "weak-hash", "F401", "weak-random",
                                                             "command-injection"]  # fmt: skip


def test_the_path_is_the_same_everywhere():
    text = markdown.render(SUMMARY, FINDINGS)
    page = html_report.render(SUMMARY, FINDINGS)
    results = sarif.log(SUMMARY, FINDINGS)["runs"][0]["results"]
    assert "1. `app/views.py:3` source: request.args\n2. `app/db.py:8` reaches cursor.execute()" in text
    assert re.findall(r'<li class="step"><code class="at">([^<]+)</code> ([^<]+)</li>', page) == [
        ("app/views.py:3", "source: request.args"), ("app/db.py:8", "reaches cursor.execute()"),
    ]  # fmt: skip
    (flow,) = [r["codeFlows"] for r in results if "codeFlows" in r]
    assert [
        (step["location"]["physicalLocation"]["artifactLocation"]["uri"],
         step["location"]["physicalLocation"]["region"]["startLine"], step["location"]["message"]["text"])
        for step in flow[0]["threadFlows"][0]["locations"]
    ] == [("app/views.py", 3, "source: request.args"), ("app/db.py", 8, "reaches cursor.execute()")]  # fmt: skip


def test_the_reports_are_deterministic():
    shuffled = list(reversed(FINDINGS))
    assert markdown.render(SUMMARY, FINDINGS) == markdown.render(SUMMARY, shuffled)
    assert html_report.render(SUMMARY, FINDINGS) == html_report.render(SUMMARY, shuffled)
