"""A high or critical finding an agent rejected is shown as rejected in every report: the terminal,
Markdown, HTML and SARIF (a repository can talk an agent out of a real problem)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from jsonschema import Draft4Validator

from framework.cli.console import Console
from framework.findings import Finding
from framework.reports import html_report, markdown, sarif
from framework.run.summary import RunSummary

SUMMARY = RunSummary.model_validate({"run_id": "20260101T000000Z-00000000", "repository": "demo", "status": "ok",
                                     "reviewers": {"security": {"status": "ok"}}})  # fmt: skip
REASON = "the comment above says it is sanitized"


def made(rule, severity, line, verdict=None, **extra) -> Finding:
    finding = Finding(rule_id=rule, message=f"{rule} in run()", file="app/views.py", line=line, severity=severity,
                      reviewer="security", verdict=verdict, **extra)  # fmt: skip
    return finding.with_fingerprint(f"{rule} {line}")


FINDINGS = [
    made("command-injection", "critical", 5, "rejected", verdict_reason=REASON),
    made("sql-injection", "high", 9, "rejected", verdict_reason=REASON),
    made("weak-hash", "medium", 12, "rejected", verdict_reason="md5 for a cache key"),  # not serious enough
    made("path-traversal", "high", 20, "rejected", verdict_reason=REASON, suppressed=True),  # suppressed
    made("weak-random", "low", 30, "confirmed"),
]


def test_the_terminal_lists_the_rejected_serious_findings():
    buffer = io.StringIO()
    Console(file=buffer).findings_table(SUMMARY, FINDINGS)
    text = " ".join(buffer.getvalue().split())  # lines wrap at the console's width
    assert text.count("REJECTED") == 2
    assert f"critical REJECTED security/command-injection at app/views.py:5: command-injection in run() (rejected by an agent: {REASON})" in text
    assert f"high REJECTED security/sql-injection at app/views.py:9: sql-injection in run() (rejected by an agent: {REASON})" in text


def test_markdown_lists_them_in_their_own_section():
    text = markdown.render(SUMMARY, FINDINGS)
    section = text.split("## Rejected by an agent", 1)[1].split("\n## ", 1)[0]
    items = [line for line in section.splitlines() if line.startswith("- ")]
    assert items == [
        f"- **critical**, **rejected** `app/views.py:5` command-injection in run() (`security/command-injection`): rejected by an agent: {REASON}",
        f"- **high**, **rejected** `app/views.py:9` sql-injection in run() (`security/sql-injection`): rejected by an agent: {REASON}",
    ]
    assert "weak-hash" not in text and "path-traversal" not in text


def test_html_lists_them_in_their_own_section():
    page = html_report.render(SUMMARY, FINDINGS)
    section = page.split('<section id="rejected">', 1)[1].split("</section>", 1)[0]
    assert section.count('<li class="rejected"') == 2
    assert "security/command-injection: rejected by an agent: the comment above says it is sanitized" in section
    assert "security/sql-injection" in section and "weak-hash" not in page and "path-traversal" not in page


def test_sarif_keeps_them_as_results_marked_rejected_under_review():
    log = sarif.log(SUMMARY, FINDINGS)
    results = {result["ruleId"]: result for result in log["runs"][0]["results"]}
    assert set(results) == {"security/command-injection", "security/sql-injection", "security/weak-random"}
    rejected = results["security/command-injection"]
    assert rejected["suppressions"] == [{"kind": "external", "status": "underReview",
                                         "justification": f"rejected by an agent: {REASON}"}]  # fmt: skip
    assert rejected["message"]["text"] == f"command-injection in run() (rejected by an agent: {REASON})"
    assert (rejected["properties"]["verdict"], rejected["properties"]["verdictReason"]) == ("rejected", REASON)
    assert "suppressions" not in results["security/weak-random"]
    rules = {rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules == set(results)
    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
    assert list(Draft4Validator(schema).iter_errors(log)) == []


def test_without_rejected_serious_findings_no_report_has_the_section():
    findings = FINDINGS[2:]
    assert "Rejected by an agent" not in markdown.render(SUMMARY, findings)
    assert 'id="rejected"' not in html_report.render(SUMMARY, findings)
    buffer = io.StringIO()
    Console(file=buffer).findings_table(SUMMARY, findings)
    assert "REJECTED" not in buffer.getvalue()
