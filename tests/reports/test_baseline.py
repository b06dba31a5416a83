"""Baselines: old findings are hidden, a new one is shown, and lines moving does not matter."""

from __future__ import annotations

import json
import stat

from tests.reports.helpers import insert_lines


def test_a_baseline_hides_old_findings_and_shows_a_new_one(cli, review, repo, tmp_path):
    baseline_file = tmp_path / "baseline.json"
    created = cli("baseline", "create", str(repo), "-o", str(baseline_file), "--no-progress")
    assert created.exit_code == 0, created.stderr
    assert created.stdout.strip() == f"Baseline of 5 findings written to {baseline_file}"
    data = json.loads(baseline_file.read_text())
    assert data["format"] == "codepanel-baseline" and data["version"] == 1
    assert stat.S_IMODE(baseline_file.stat().st_mode) == 0o644  # committed, and read by CI and the cloud
    assert [(e["reviewer"], e["rule_id"], e["file"]) for e in data["findings"]] == [
        ("style", "repo.no-tests", "."), ("style", "F401", "app/util.py"), ("security", "weak-hash", "app/util.py"),
        ("style", "F821", "app/util.py"), ("security", "command-injection", "app/views.py"),
    ]  # fmt: skip
    # Lines move above the old findings, and one new problem appears.
    views = repo / "app" / "views.py"
    insert_lines(views, 1, '"""Views."""', "")
    views.write_text(views.read_text() + "\n\ndef evaluate():\n    return eval(request.args['expr'])\n")
    done = review(repo, "--baseline", str(baseline_file), "--fail-on", "high", exit=1)
    shown = [f for f in done.findings if f["baseline_state"] == "new"]
    assert [(f["rule_id"], f["line"]) for f in shown] == [("code-injection", 12)]
    old = [f for f in done.findings if f["baseline_state"] == "unchanged"]
    assert len(old) == 5 and {f["fingerprint"] for f in old} == {
        e["fingerprint"] for e in data["findings"]
    }
    summary = done.summary
    assert summary["counts"]["total"] == 1 and summary["counts"]["baseline"] == 5
    assert summary["baseline"] == {
        "file": str(baseline_file),
        "new": 1,
        "unchanged": 5,
        "absent": 0,
    }
    assert "code-injection" in done.result.stdout and "command-injection" not in done.result.stdout
    report = done.report("report.md")
    assert "5 in the baseline" in report and "Baseline: 1 new, 0 fixed" in report
    results = json.loads(done.report("report.sarif"))["runs"][0]["results"]
    assert [(r["ruleId"], r["baselineState"]) for r in results] == [
        ("security/code-injection", "new")
    ]


def test_a_fixed_finding_counts_as_absent(cli, review, repo, tmp_path):
    baseline_file = tmp_path / "baseline.json"
    assert (
        cli("baseline", "create", str(repo), "-o", str(baseline_file), "-r", "security").exit_code
        == 0
    )
    util = repo / "app" / "util.py"
    util.write_text(util.read_text().replace("hashlib.md5(", "hashlib.sha256("))
    done = review(repo, "-r", "security", "--baseline", str(baseline_file))
    assert done.summary["baseline"]["absent"] == 1 and done.summary["counts"]["total"] == 0


def test_a_missing_or_foreign_baseline_is_a_one_line_error_before_any_review(
    cli, repo, tmp_path, workspace
):
    result = cli("review", str(repo), "--baseline", str(tmp_path / "nope.json"))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'nope.json'}: no such baseline file"
    other = tmp_path / "other.json"
    other.write_text('{"findings": []}')
    result = cli("review", str(repo), "--baseline", str(other))
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == f'error: {other}: not a codepanel baseline (expected "format": "codepanel-baseline")'
    )
    assert not (workspace / "runs").exists()
