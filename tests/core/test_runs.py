"""The workspace's runs: snapshots share unchanged files, `runs list/show/prune`, and codepanel's own state is never reviewed."""

from __future__ import annotations

import json
import os

from framework.run import history
from framework.run.workspace import Workspace


def snapshot_files(run):
    return [path for path in (run / "source").rglob("*") if path.is_file()]


def test_a_second_run_of_an_unchanged_tree_links_its_snapshot_instead_of_copying_it(cli, repo, workspace):
    assert cli("review", str(repo), "-r", "security").exit_code == 0
    assert cli("review", str(repo), "-r", "security").exit_code == 0
    first, second = sorted((workspace / "runs").iterdir())
    for path in snapshot_files(second):
        twin = first / "source" / path.relative_to(second / "source")
        assert os.stat(path).st_ino == os.stat(twin).st_ino and os.stat(path).st_nlink == 3  # the store, and each run
    manifest = json.loads((second / "manifest.json").read_text())
    assert all(len(entry["sha256"]) == 64 for entry in manifest["included"])


def test_runs_are_listed_shown_and_pruned_with_the_store(cli, repo, workspace):
    for _ in range(3):
        assert cli("review", str(repo), "-r", "security").exit_code == 0
    listed = json.loads(cli("runs", "list", "--json").output)
    assert [row["status"] for row in listed] == ["ok", "ok", "ok"] and listed[0]["findings"] == 2
    shown = cli("runs", "show", listed[-1]["run_id"])
    assert "security/command-injection" in shown.output and f"Run {listed[-1]['run_id']}: ok" in shown.output
    assert cli("runs", "prune", "--keep", "1", "--dry-run").output.startswith("Would delete 2 runs: ")
    pruned = cli("runs", "prune", "--keep", "1")
    assert pruned.exit_code == 0 and pruned.output.startswith("Deleted 2 runs: ")
    assert [row["run_id"] for row in json.loads(cli("runs", "list", "--json").output)] == [listed[-1]["run_id"]]
    cli("runs", "prune", "--keep", "0")
    assert history.collect_store(Workspace(workspace).store_dir) == (0, 0)
    assert not [path for path in Workspace(workspace).store_dir.rglob("*") if path.is_file()]


def test_retention_prunes_after_each_review(cli, repo, workspace, config_file):
    config_file.write_text(config_file.read_text() + "retention:\n  max_runs: 2\n")
    for _ in range(3):
        result = cli("review", str(repo), "-r", "security")
    assert "Pruned 1 old runs from the workspace" in result.output
    assert len(list((workspace / "runs").iterdir())) == 2


def test_a_workspace_and_a_baseline_inside_the_reviewed_tree_are_never_reviewed(cli, repo, tmp_path):
    inside = repo / "review-state"
    baseline = repo / "known.json"
    assert cli("baseline", "create", str(repo), "-o", str(baseline), "-w", str(inside)).exit_code == 0
    result = cli("review", str(repo), "-w", str(inside), "--baseline", str(baseline), "-f", "json")
    assert result.exit_code == 0, result.output
    (run,) = [run for run in (inside / "runs").iterdir()
              if json.loads((run / "request.json").read_text())["baseline"]]  # the review, not the baseline's  # fmt: skip
    manifest = json.loads((run / "manifest.json").read_text())
    reasons = {entry["path"]: entry["reason"] for entry in manifest["skipped"]}
    assert reasons["review-state/"] == "codepanel's workspace" and reasons["known.json"] == "the baseline file"
    assert not [entry for entry in manifest["included"] if entry["path"].startswith("review-state")]


def test_fail_on_names_the_findings_that_met_it(cli, repo):
    result = cli("review", str(repo), "--fail-on", "high")
    assert result.exit_code == 1
    assert ("exit 1: 1 findings at or above high (--fail-on high): security/command-injection at app/views.py:5"
            in result.stderr)  # fmt: skip


def workspace_run_id(line: str) -> bool:
    from framework.run.workspace import RUN_ID_PATTERN

    return bool(RUN_ID_PATTERN.match(line.removeprefix("Run ")))


def test_the_terminal_digest_of_a_review_of_pip_fits_one_screen(cli, tmp_path):
    import pip

    pip_source = os.path.dirname(pip.__file__)
    result = cli("review", pip_source, "--no-progress", env={"COLUMNS": "100"})
    assert result.exit_code in (0, 3), result.output
    lines = result.output.splitlines()
    assert len(lines) <= 40, result.output
    assert lines[1].startswith("Run ") and workspace_run_id(lines[1])
    assert lines[2].split(":")[0].endswith("findings") and any("files reviewed" in line for line in lines)
    everything = cli("review", pip_source, "--no-progress", "--all", env={"COLUMNS": "100"})
    assert len(everything.output.splitlines()) > len(lines)
