"""Local reviews end to end: the CLI, the durable orchestrator under the SDK's runner, reviewer processes."""

from __future__ import annotations

import json

import yaml

from tests.conftest import touch


def runs(workspace):
    return sorted((workspace / "runs").iterdir())


def last_summary(workspace):
    return json.loads((runs(workspace)[-1] / "summary.json").read_text())


def declare(config_file, **entries):
    data = yaml.safe_load(config_file.read_text())
    data["reviewers"].update(entries)
    config_file.write_text(yaml.safe_dump(data))



def test_review_runs_every_enabled_reviewer_and_writes_the_layout(cli, repo, workspace):
    result = cli("review", str(repo))
    assert result.exit_code == 0, result.output + result.stderr
    summary = last_summary(workspace)
    assert summary["status"] == "ok"
    assert set(summary["reviewers"]) == {"security", "style"}
    assert all(entry["status"] == "ok" for entry in summary["reviewers"].values())
    assert summary["files_reviewed"] == 4
    assert summary["counts"]["by_reviewer"]["security"] == 2  # os.system(command) and md5
    assert summary["counts"]["by_severity"]["critical"] == 1
    run = runs(workspace)[-1]
    for name in ("request.json", "manifest.json", "summary.json", "findings.json", "report.md",
                 "results/security.json", "results/style.json", "source/app/views.py"):
        assert (run / name).exists(), name
    findings = json.loads((run / "findings.json").read_text())
    command = next(f for f in findings if f["rule_id"] == "command-injection")
    assert (command["file"], command["line"], command["cwe"], command["reviewer"]) == ("app/views.py", 5, 78, "security")
    assert len(command["fingerprint"]) == 32
    assert {"F821", "F401"} <= {f["rule_id"] for f in findings if f["reviewer"] == "style"}
    # The findings table shows what was found, and says the review ran offline.
    assert "command-injection" in result.stdout and "app/views.py:5" in result.stdout
    assert "Reviewing offline" in result.stderr


def test_subset_runs_exactly_the_named_reviewers(cli, repo, workspace):
    result = cli("review", str(repo), "--reviewers", "security")
    assert result.exit_code == 0
    run = runs(workspace)[-1]
    assert sorted(path.name for path in (run / "results").iterdir()) == ["security.json"]
    assert list(last_summary(workspace)["reviewers"]) == ["security"]


def test_repeated_and_comma_separated_reviewers_combine(cli, repo, workspace):
    assert cli("review", str(repo), "-r", "style,security", "-r", "style").exit_code == 0
    assert list(last_summary(workspace)["reviewers"]) == ["style", "security"]


def test_unknown_reviewer_is_exit_2_listing_those_that_exist(cli, repo, workspace):
    result = cli("review", str(repo), "--reviewers", "security,nope")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: unknown reviewer 'nope'; reviewers that exist: security, style"
    assert not (workspace / "runs").exists()


def test_missing_directory_is_a_one_line_error_before_any_run(cli, tmp_path, workspace):
    result = cli("review", str(tmp_path / "absent"))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == f"error: {tmp_path / 'absent'}: no such directory"
    assert not (workspace / "runs").exists()


def test_a_dropped_in_plugin_runs_and_a_broken_one_is_reported(cli, repo, workspace, config_file, tmp_path, plugins_folder):
    (repo / "app" / "views.py").write_text("x = 1  # hack\n")
    declare(config_file, hack={"plugin": "hack", "settings": {"word": "hack"}})
    folder = plugins_folder("todo_reviewer", "broken_plugin")
    result = cli("review", str(repo), "--plugins-dir", str(folder))
    assert result.exit_code == 0, result.stderr
    assert "warning: plugin 'broken_plugin'" in result.stderr
    summary = last_summary(workspace)
    assert summary["reviewers"]["hack"] == {**summary["reviewers"]["hack"], "status": "ok", "findings": 1}
    findings = json.loads((runs(workspace)[-1] / "findings.json").read_text())
    assert [(f["rule_id"], f["file"], f["line"]) for f in findings if f["reviewer"] == "hack"] == [
        ("hack.word", "app/views.py", 1)
    ]


def test_a_reviewer_that_raises_is_failed_and_the_others_are_kept(cli, repo, workspace, config_file, tmp_path, plugins_folder):
    declare(config_file, raising={"plugin": "raising"})
    folder = plugins_folder("raising_reviewer")
    result = cli("review", str(repo), "--plugins-dir", str(folder))
    assert result.exit_code == 3
    summary = last_summary(workspace)
    assert summary["status"] == "incomplete"
    assert summary["reviewers"]["raising"]["status"] == "failed"
    assert "RuntimeError: analyzer exploded" in summary["reviewers"]["raising"]["error"]
    assert summary["reviewers"]["security"]["status"] == "ok"
    assert summary["counts"]["by_reviewer"]["security"] == 2
    results = json.loads((runs(workspace)[-1] / "results" / "raising.json").read_text())
    assert results["status"] == "failed" and "analyzer exploded" in results["traceback"]


def test_a_reviewer_past_its_timeout_is_killed_and_timed_out(cli, repo, workspace, config_file, tmp_path, plugins_folder):
    declare(config_file, sleepy={"plugin": "sleepy", "timeout": 2, "settings": {"seconds": 120}})
    folder = plugins_folder("raising_reviewer")
    result = cli("review", str(repo), "--plugins-dir", str(folder), "-r", "sleepy,style")
    assert result.exit_code == 3
    summary = last_summary(workspace)
    assert summary["reviewers"]["sleepy"]["status"] == "timed_out"
    assert "timed out after 2.00 seconds" in summary["reviewers"]["sleepy"]["error"]
    assert summary["reviewers"]["style"]["status"] == "ok"
    assert summary["duration"] < 60


def test_fail_on_sets_the_exit_code(cli, repo):
    assert cli("review", str(repo), "--fail-on", "critical").exit_code == 1
    assert cli("review", str(repo), "-r", "style", "--fail-on", "high").exit_code == 0
    assert cli("review", str(repo), "-r", "style", "--fail-on", "low").exit_code == 1


def test_json_and_markdown_formats_and_output_file(cli, repo, tmp_path):
    result = cli("review", str(repo), "-r", "security", "--format", "json")
    document = json.loads(result.stdout)
    assert document["summary"]["counts"]["total"] == 2
    assert {f["cwe"] for f in document["findings"]} == {78, 328}
    target = tmp_path / "report.md"
    result = cli("review", str(repo), "-f", "markdown", "-o", str(target))
    assert result.exit_code == 0
    text = target.read_text()
    assert text.startswith("# codepanel review of")
    assert "## `app/views.py`" in text and "<details>" in text


def test_two_reviews_get_distinct_runs(cli, repo, workspace):
    cli("review", str(repo), "-r", "security")
    touch(repo)
    cli("review", str(repo), "-r", "security")
    first, second = runs(workspace)
    assert first.name != second.name


def test_a_local_review_parses_the_config_selects_and_loads_the_plugins_once(cli, repo, monkeypatch):
    """The command line and the orchestrator it runs share one process: each stage happens once in it."""
    from framework import plugins as plugin_loader
    from framework.config import loading, schema

    counts = {"parse": 0, "select": 0, "load": 0}

    def counting(name, real):
        def call(*args, **kwargs):
            counts[name] += 1
            return real(*args, **kwargs)
        return call

    monkeypatch.setattr(loading, "_PARSED", {})
    monkeypatch.setattr(plugin_loader, "_SHARED", {})
    monkeypatch.setattr(loading, "_parse", counting("parse", loading._parse))
    monkeypatch.setattr(schema.Config, "_select", counting("select", schema.Config._select))
    monkeypatch.setattr(plugin_loader, "load", counting("load", plugin_loader.load))
    result = cli("review", str(repo), "-r", "security", "-f", "json")
    assert result.exit_code == 0, result.output
    assert counts == {"parse": 1, "select": 1, "load": 1}


def test_plugins_that_fail_to_load_reach_the_summary_and_the_reports(cli, repo, workspace, plugins_folder):
    result = cli("review", str(repo), "--plugins-dir", str(plugins_folder("broken_plugin")))
    assert result.exit_code == 0
    assert "warning: plugin 'broken_plugin'" in result.output
    (run,) = (workspace / "runs").iterdir()
    summary = json.loads((run / "summary.json").read_text())
    assert len(summary["plugin_problems"]) == 1 and "broken on purpose" in summary["plugin_problems"][0]
    assert "**Attention:** plugin 'broken_plugin'" in (run / "report.md").read_text()
