"""The Markdown report: fit for a pull-request comment."""

from __future__ import annotations

from framework.findings import Finding, sort_key
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
    assert headings == ["## Fix first", "## High (1)", "## Medium (1)", "## Low (1)"]
    files = [line for line in lines if line.startswith("### ")]
    assert files == ["### `app/views.py`", "### `app/views.py`", "### `app/util.py`"]
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


def test_the_path_is_a_numbered_list_in_the_details():
    path = [{"file": "app/views.py", "line": 11, "what": "source: request.args"},
            {"file": "app/views.py", "line": 11, "what": "passed to convert()"},
            {"file": "app/tools.py", "line": 4, "what": "parameter source of convert()"},
            {"file": "app/tools.py", "line": 5, "what": "reaches subprocess.run()"}]  # fmt: skip
    flow = finding("command-injection", "app/tools.py", 5, "critical", details={"path": path, "score": 10})
    weakness = finding("weak-hash", "app/util.py", 3, details={"path": [{"file": "app/util.py", "line": 3,
                                                                          "what": "call to md5()"}]})  # fmt: skip
    text = markdown.render(SUMMARY, [flow, weakness])
    details = text[text.index("<summary><b>critical</b>") : text.index("</details>")]
    assert (
        "**Path from source to sink**:\n\n"
        "1. `app/views.py:11` source: request.args\n"
        "2. `app/views.py:11` passed to convert()\n"
        "3. `app/tools.py:4` parameter source of convert()\n"
        "4. `app/tools.py:5` reaches subprocess.run()\n\n"
    ) in details
    assert "Priority: 10." in details
    # A one-step path at the finding itself (a weakness) is no path.
    assert text.count("Path from source to sink") == 1


def test_a_long_path_keeps_its_first_and_last_steps():
    path = [{"file": "a.py", "line": n, "what": f"step {n}"} for n in range(1, 31)]
    text = markdown.render(SUMMARY, [finding("sql-injection", "a.py", 30, "high", details={"path": path})])
    details = text[text.index("<details>") :]
    steps = [line for line in details.splitlines() if line[:1].isdigit()]
    assert steps[:6] == [f"{n}. `a.py:{n}` step {n}" for n in range(1, 7)]
    assert steps[6] == "7. _... 18 more steps ..._"
    assert steps[7:] == [f"{n}. `a.py:{n}` step {n}" for n in range(25, 31)]
    untraced = finding("sql-injection", "a.py", 3, "high", details={"source": "not traced"})
    assert "**Source:** not traced." in markdown.render(SUMMARY, [untraced])


def test_fix_first_and_attention_come_first_and_test_code_comes_last():
    summary = SUMMARY.model_copy(update={
        "counts": Counts(), "plugin_problems": ["plugin 'broken' failed to load: boom"],
        "limits_hit": ["source.max_files (10): 10 of 30 files fetched"], "uncovered": {"JavaScript": 213},
        "risk": {"score": 10, "level": "critical", "by": "rules"},
        "executive_summary": {"text": "Fix the injection.", "by": "rules"},
    })  # fmt: skip
    findings = sorted([
        finding("sql-injection", "tests/test_db.py", 3, "critical", details={"score": 10}, in_tests=True),
        finding("xss", "app/views.py", 7, "high", details={"score": 7}),
        finding("weak-hash", "app/hash.py", 2, "medium", details={"score": 5}),
    ], key=sort_key)  # fmt: skip
    text = markdown.render(summary, findings)
    lines = text.splitlines()
    assert lines[2].endswith("1 in test code, listed last.")
    assert lines[4:12] == [
        "> [!WARNING]",
        "> **Attention:** plugin 'broken' failed to load: boom",
        ">",
        "> **Attention:** source.max_files (10): 10 of 30 files fetched",
        ">",
        "> **Attention:** 213 JavaScript files: no offline reviewer covers them; add a model or a reviewer",
        ">",
        "> **Attention:** reviewer style did not finish: TIMED OUT (Task timed out \\| late)",
    ]
    assert lines[13:18] == [
        "## Fix first",
        "",
        "1. **high** `app/views.py:7` xss here (`security/xss`, priority 7)",
        "2. **medium** `app/hash.py:2` weak-hash here (`security/weak-hash`, priority 5)",
        "",
    ]
    assert lines[18:22] == ["## Summary", "", "Overall risk: **critical** (highest priority 10 of 10).", ""]
    headings = [line for line in lines if line.startswith("## ")]
    assert headings[-3:] == ["## High (1)", "## Medium (1)", "## Critical, in test code (1)"]
    assert "<summary><b>critical</b> line 3: sql-injection here <code>security/sql-injection</code> <i>(in test code)</i>" in text


def test_the_most_severe_findings_are_the_ones_kept_under_the_limit():
    findings = [finding(f"r{n}", f"f{n % 7}.py", n, "low") for n in range(200)]
    findings += [finding(f"c{n}", f"f{n}.py", 1, "critical") for n in range(5)]
    findings.sort(key=sort_key)
    text = markdown.render(SUMMARY.model_copy(update={"counts": Counts()}), findings, max_chars=12_000)
    assert len(text) < 12_500
    assert all(f"c{n} here" in text for n in range(5))
    assert "more findings are not listed here" in text


def test_links_and_images_from_the_repository_stay_text():
    nasty = finding("x", "a.py", 1, details={"path": [
        {"file": "a.py", "line": 1, "what": "![img](https://evil.example/x.png)"},
        {"file": "a.py", "line": 2, "what": "[click](javascript:alert(1))"}]})  # fmt: skip
    nasty.message = "see [here](https://evil.example)"
    text = markdown.render(SUMMARY.model_copy(update={"counts": Counts()}), [nasty])
    assert "](" not in text.replace("&#93;(", "")
    assert "&#91;here&#93;(https://evil.example)" in text
