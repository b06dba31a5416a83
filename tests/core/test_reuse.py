"""A re-review of an unchanged tree with the same panel is answered by the run before (framework.run.reuse)."""

from __future__ import annotations

import json
import shutil
import time

import pytest
import yaml

from framework.run import reuse


def runs(workspace):
    return sorted(path.name for path in (workspace / "runs").iterdir())


@pytest.fixture
def reviewed(cli, repo, workspace):
    """The repository reviewed once; returns that first run's id and its command output."""
    first = cli("review", str(repo))
    assert first.exit_code == 0, first.output + first.stderr
    (run_id,) = runs(workspace)
    assert len(list((workspace / "cache" / "runs").glob("*.json"))) == 1  # remembered: what follows can reuse it
    return run_id, first


def test_an_unchanged_tree_is_answered_by_the_run_before(cli, repo, workspace, reviewed, monkeypatch):
    run_id, first = reviewed
    from framework.run import local

    def no_review(*args, **kwargs):
        raise AssertionError("an unchanged tree must not be reviewed again")

    monkeypatch.setattr(local, "run_review", no_review)
    again = cli("review", str(repo), "--fail-on", "high")
    assert again.exit_code == 1  # the same findings, so the same verdict
    assert runs(workspace) == [run_id]
    assert f"Unchanged since run {run_id}" in again.stderr
    assert "command-injection" in again.stdout and "app/views.py:5" in again.stdout
    # Every output format reads the same run.
    as_json = cli("review", str(repo), "--format", "json")
    assert json.loads(as_json.stdout)["summary"]["run_id"] == run_id


@pytest.mark.parametrize(
    "change",
    ["edit", "add", "remove", "config", "option", "no-cache", "plugin-code"],
)
def test_any_change_reviews_again(cli, repo, workspace, config_file, reviewed, change, monkeypatch, tmp_path):
    run_id, _ = reviewed
    options = []
    if change == "edit":
        (repo / "app" / "util.py").write_text("import hashlib\n\ndef f():\n    return hashlib.md5(b'y')\n")
    elif change == "add":
        (repo / "app" / "new.py").write_text("x = 1\n")
    elif change == "remove":
        (repo / "README.md").unlink()
    elif change == "config":
        data = yaml.safe_load(config_file.read_text())
        data["reviewers"]["style"]["enabled"] = False
        config_file.write_text(yaml.safe_dump(data))
    elif change == "option":
        options = ["--min-confidence", "low"]
    elif change == "no-cache":
        options = ["--no-cache"]
    elif change == "plugin-code":
        # A plugin's source changing (as when its author edits it) counts as a change of the panel.
        real = reuse._code_folders

        def with_plugin(panel):
            return [*real(panel), tmp_path / "plugin-src"]

        (tmp_path / "plugin-src").mkdir()
        (tmp_path / "plugin-src" / "mine.py").write_text("x = 1\n")
        monkeypatch.setattr(reuse, "_code_folders", with_plugin)
        assert cli("review", str(repo)).exit_code == 0  # remembered with this plugin folder
        time.sleep(0.1)
        (tmp_path / "plugin-src" / "mine.py").write_text("x = 2\n")
    again = cli("review", str(repo), *options)
    assert again.exit_code in (0, 1), again.output + again.stderr
    assert "Unchanged since run" not in again.stderr
    assert len(runs(workspace)) == (3 if change == "plugin-code" else 2)


def test_a_pruned_run_is_not_an_answer(cli, repo, workspace, reviewed):
    run_id, _ = reviewed
    shutil.rmtree(workspace / "runs" / run_id)
    again = cli("review", str(repo))
    assert again.exit_code == 0
    assert len(runs(workspace)) == 1 and runs(workspace) != [run_id]


def test_a_tree_changed_during_its_review_is_not_remembered(cli, repo, workspace, monkeypatch):
    from framework.run import local

    real = local.run_review

    def edit_during(*args, **kwargs):
        summary = real(*args, **kwargs)
        (repo / "app" / "util.py").write_text("y = 2\n")
        return summary

    monkeypatch.setattr(local, "run_review", edit_during)
    assert cli("review", str(repo)).exit_code == 0
    assert not list((workspace / "cache" / "runs").glob("*.json"))
    monkeypatch.setattr(local, "run_review", real)
    time.sleep(0.1)
    assert cli("review", str(repo)).exit_code == 0
    assert len(runs(workspace)) == 2


def test_a_recent_change_is_racy_and_not_remembered(tmp_path):
    key = reuse.Key("abc", settled=False)
    from framework.run.outcome import Status
    from framework.run.workspace import Workspace

    workspace = Workspace(tmp_path / "ws")
    reuse.remember(workspace, key, key, "20261201T000000Z-0123abcd", Status.OK)
    assert not (tmp_path / "ws" / "cache" / "runs").exists()
    settled = reuse.Key("abc", settled=True)
    reuse.remember(workspace, settled, settled, "20261201T000000Z-0123abcd", Status.INCOMPLETE)
    assert not (tmp_path / "ws" / "cache" / "runs").exists()
    reuse.remember(workspace, settled, settled, "20261201T000000Z-0123abcd", Status.OK)
    assert json.loads((tmp_path / "ws" / "cache" / "runs" / "abc.json").read_text())["run_id"] == "20261201T000000Z-0123abcd"
