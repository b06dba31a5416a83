"""The Markdown report: fit for a pull-request comment."""

from __future__ import annotations

from framework.findings import Finding
from framework.reports import markdown
from framework.run.summary import Counts, RunSummary


def finding(rule, file, line, severity="medium", reviewer="security", **extra) -> Finding:
    made = Finding(
        rule_id=rule,
        message=f"{rule} here",
        file=file,
        line=line,
        severity=severity,
        reviewer=reviewer,
        **extra,
    )
    made.with_fingerprint(f"line {line} of {file}")
    return made


SUMMARY = RunSummary.model_validate({
    "run_id": "20260101T000000Z-00000000", "repository": "demo", "status": "incomplete", "files_reviewed": 7,
    "reviewers": {"security": {"status": "ok"}, "style": {"status": "timed_out", "error": "Task timed out | late"}},
    "counts": {"suppressed": 1, "baseline": 2, "outside_diff": 0},
})  # fmt: skip


def test_summary_table_by_reviewer_and_severity_then_findings_by_file():
    findings = [
        finding(
            "command-injection", "app/views.py", 5, "high", cwe=78, recommendation="Use a list."
        ),
        finding("weak-hash", "app/views.py", 9, "medium"),
        finding("F401", "app/util.py", 1, "low", reviewer="style"),
        finding(
            "F821",
            "app/util.py",
            4,
            "medium",
            reviewer="style",
            suppressed=True,
            suppression_reason="x",
        ),
        finding("old", "app/util.py", 6, "high", baseline_state="unchanged"),
    ]
    text = markdown.render(SUMMARY, findings)
    lines = text.splitlines()
    assert lines[0] == "# codepanel review of `demo`"
    assert lines[2] == ("**3 findings** in 7 files (run `20260101T000000Z-00000000`, status **incomplete**). "
                        "Not shown: 1 suppressed, 2 in the baseline.")  # fmt: skip
    table = lines[
        lines.index("| Reviewer | Status | critical | high | medium | low | info | Total |") :
    ][:5]
    assert table[2:] == [
        "| security | ok | 0 | 1 | 1 | 0 | 0 | 2 |",
        "| style | TIMED OUT (Task timed out \\| late) | 0 | 0 | 0 | 1 | 0 | 1 |",
        "| **Total** | | **0** | **1** | **1** | **1** | **0** | **3** |",
    ]
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == ["## `app/util.py`", "## `app/views.py`"]
    assert text.count("<details>") == text.count("</details>") == 3
    assert ("<summary><b>high</b> line 5: command-injection here <code>security/command-injection</code> CWE-78"
            "</summary>") in lines  # fmt: skip
    assert "**Recommendation:** Use a list." in lines
    assert "F821" not in text and "old here" not in text


def test_text_from_the_repository_cannot_break_out_of_the_markup():
    nasty = finding("x", "a`b.py", 1)
    nasty.message = "</summary></details><script>alert(1)</script> | pipe"
    nasty.snippet = "s = '```'"
    text = markdown.render(SUMMARY.model_copy(update={"counts": Counts()}), [nasty])
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "## ``a`b.py``" in text
    assert "````python\ns = '```'\n````" in text


def test_a_long_report_stays_under_the_comment_limit_and_says_what_it_left_out():
    findings = [finding(f"rule-{n}", f"file{n:03}.py", 1) for n in range(300)]
    text = markdown.render(SUMMARY.model_copy(update={"counts": Counts()}), findings, max_chars=20_000)
    assert len(text) < 20_500
    listed = text.count("<details>")
    assert 0 < listed < 300
    assert f"_{300 - listed} more findings are not listed here" in text
