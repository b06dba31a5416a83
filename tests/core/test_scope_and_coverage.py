"""What a review covers: paths in scope, test code, files no reviewer analyzes, and what limits cut."""

from __future__ import annotations

import json

import pytest
import yaml

from framework.triage.paths import PathScope, is_test_path


def configure(config_file, **sections):
    data = yaml.safe_load(config_file.read_text())
    for key, value in sections.items():
        target = data
        *parents, leaf = key.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    config_file.write_text(yaml.safe_dump(data))


def run_files(workspace):
    (run,) = (workspace / "runs").iterdir()
    return run, json.loads((run / "summary.json").read_text())


def test_paths_leave_out_vendored_code_and_say_why(cli, repo, workspace, config_file):
    (repo / "app" / "_vendor").mkdir()
    (repo / "app" / "_vendor" / "lib.py").write_text("import os\nos.system(input())\n")
    (repo / "docs").mkdir()
    (repo / "docs" / "conf.py").write_text("import os\nos.system(input())\n")
    configure(config_file, **{"defaults.paths": {"exclude": ["docs/**"]}})
    result = cli("review", str(repo), "-f", "json")
    assert result.exit_code == 0, result.output
    run, summary = run_files(workspace)
    files = {finding["file"] for finding in json.loads(result.stdout)["findings"]}
    assert "app/_vendor/lib.py" not in files and "docs/conf.py" not in files
    reasons = {entry["path"]: entry["reason"] for entry in json.loads((run / "manifest.json").read_text())["out_of_scope"]}
    assert reasons == {"app/_vendor/lib.py": "excluded by the built-in pattern '**/_vendor/**'",
                       "docs/conf.py": "excluded by paths.exclude 'docs/**'"}  # fmt: skip
    assert summary["reviewers"]["security"]["files_out_of_scope"] == 2


@pytest.mark.parametrize(("mode", "expected"), [("rank", "ranked"), ("skip", "absent"), ("review", "plain")])
def test_test_code_is_ranked_last_by_default_skipped_or_reviewed(cli, repo, workspace, config_file, mode, expected):
    (repo / "tests").mkdir()
    (repo / "tests" / "test_views.py").write_text("import os\nos.system(input())\n")
    configure(config_file, **{"defaults.paths": {"tests": mode}})
    result = cli("review", str(repo), "-r", "security", "-f", "json")
    findings = json.loads(result.stdout)["findings"]
    in_tests = [finding for finding in findings if finding["file"] == "tests/test_views.py"]
    if expected == "absent":
        assert in_tests == []
        return
    assert len(in_tests) == 1 and in_tests[0]["in_tests"] is (expected == "ranked")
    if expected == "ranked":
        assert findings[-1]["file"] == "tests/test_views.py"  # below findings of any severity elsewhere
        assert json.loads(result.stdout)["summary"]["tests"] == {"mode": "rank", "findings": 1}


def test_a_reviewers_own_paths_add_to_the_defaults():
    scope = PathScope(include=("src/**",), exclude=("src/gen/**",), tests="skip")
    assert [scope.why_out(path) for path in ("src/a.py", "lib/b.py", "src/gen/c.py", "src/tests/test_d.py")] == [
        None, "not matched by paths.include", "excluded by paths.exclude 'src/gen/**'", "test code (paths.tests: skip)",
    ]  # fmt: skip
    assert [is_test_path(path) for path in ("tests/x.py", "pkg/test_x.py", "conftest.py", "src/contest.py")] == [
        True, True, True, False,
    ]  # fmt: skip


def javascript_tree(root, python=False):
    (root / "src").mkdir(parents=True)
    for index in range(3):
        (root / "src" / f"route{index}.js").write_text("const x = require('x');\n")
    (root / "README.md").write_text("# js\n")
    if python:
        (root / "tool.py").write_text("print('hi')\n")
    return root


def test_a_tree_no_reviewer_covers_is_empty_and_every_report_says_so(cli, tmp_path, workspace):
    result = cli("review", str(javascript_tree(tmp_path / "express")), "-f", "json")
    assert result.exit_code == 3
    run, summary = run_files(workspace)
    assert (summary["status"], summary["uncovered"]) == ("empty", {"JavaScript": 3})
    sentence = "3 JavaScript files: no offline reviewer covers them; add a model or a reviewer"
    assert sentence in (run / "report.md").read_text() and sentence in (run / "report.html").read_text()
    sarif = json.loads((run / "report.sarif").read_text())["runs"][0]["invocations"][0]
    assert sentence in [note["message"]["text"] for note in sarif["toolExecutionNotifications"]]
    assert sarif["executionSuccessful"] is False
    table = cli("review", str(tmp_path / "express"))
    assert f"attention: {sentence}" in table.output and "NOTHING REVIEWED" not in table.stdout


def test_a_mixed_tree_is_reviewed_and_says_what_was_not(cli, tmp_path, workspace):
    result = cli("review", str(javascript_tree(tmp_path / "mixed", python=True)), "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["summary"]["uncovered"] == {"JavaScript": 3}


LIMITS = [
    ("source.max_files", 2, "source.max_files (2): 2 files not fetched (2 were)"),
    ("source.max_total_bytes", 60, "source.max_total_bytes (60):"),
    ("source.max_file_bytes", 40, "source.max_file_bytes (40):"),
    ("defaults.limits.max_files", 2, "security: limits.max_files (2): 2 of 4 files reviewed"),
    ("defaults.limits.max_file_bytes", 40, "security: limits.max_file_bytes (40):"),
]


@pytest.mark.parametrize(("key", "value", "said"), LIMITS, ids=[key for key, _, _ in LIMITS])
def test_a_review_cut_by_a_limit_is_incomplete_and_every_format_says_so(cli, repo, workspace, config_file, key, value, said):
    configure(config_file, **{key: value})
    result = cli("review", str(repo), "-r", "security", "-f", "json")
    assert result.exit_code == 3, result.output
    run, summary = run_files(workspace)
    assert summary["status"] == "incomplete"
    assert any(line.startswith(said) for line in summary["limits_hit"]), summary["limits_hit"]
    if key.startswith("defaults."):
        assert summary["reviewers"]["security"]["status"] == "partial"
    line = summary["limits_hit"][0]
    assert line in (run / "report.md").read_text() and line in (run / "report.html").read_text()
    sarif = json.loads((run / "report.sarif").read_text())["runs"][0]["invocations"][0]
    assert line in [note["message"]["text"] for note in sarif["toolExecutionNotifications"]]
