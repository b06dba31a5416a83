"""`codepanel reviewers list|new`, help, and the add-a-reviewer workflow in a project checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from framework import config
from framework.cli.scaffold import add_entry
from tests.conftest import PROJECT, TEST_PLUGINS


def test_help_works_even_with_a_broken_plugin_folder(cli, tmp_path):
    folder = tmp_path / "plugins"
    folder.mkdir()
    shutil.copy(TEST_PLUGINS / "broken_plugin.py", folder)
    result = cli("--help", env={"CODEPANEL_PLUGINS_DIR": str(folder)})
    assert result.exit_code == 0 and "review" in result.stdout


def test_reviewers_list_shows_name_description_origin_enabled(cli, tmp_path):
    folder = tmp_path / "plugins"
    folder.mkdir()
    shutil.copy(TEST_PLUGINS / "todo_reviewer.py", folder)
    result = cli("reviewers", "list", "--json", "--plugins-dir", str(folder))
    assert result.exit_code == 0
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert rows["security"]["origin"] == "built-in" and rows["security"]["enabled"] is True
    assert rows["style"]["description"].startswith("Python style")
    assert rows["hack"] == {**rows["hack"], "origin": f"plugins-dir {folder}", "enabled": False,
                            "note": "registered but not declared in reviewers.yaml"}
    table = cli("reviewers", "list", "--plugins-dir", str(folder)).stdout
    assert "security" in table and "built-in" in table and "hack" in table


def test_add_entry_keeps_comments_and_following_sections():
    text = "# top\nreviewers:\n  a:\n    plugin: a  # note\n\ncloud:\n  region: eu-west-1\n"
    new = add_entry(text, "  b:\n    plugin: b\n")
    assert new == "# top\nreviewers:\n  a:\n    plugin: a  # note\n  b:\n    plugin: b\n\ncloud:\n  region: eu-west-1\n"
    assert list(config.parse(new).reviewers) == ["a", "b"]
    assert add_entry("version: 1\n", "  b: {}\n") == "version: 1\nreviewers:\n  b: {}\n"


def test_reviewers_new_refuses_bad_names_and_duplicates(cli, tmp_path):
    assert cli("reviewers", "new", "Bad-Name", "--dir", str(tmp_path)).exit_code == 2
    result = cli("reviewers", "new", "style", "--dir", str(tmp_path))
    assert result.exit_code == 2 and "reviewers.style is already declared" in result.stderr


def test_new_reviewer_in_a_project_checkout_runs_at_once(tmp_path, repo):
    """The documented workflow: scaffold into reviewers/, then review with it, in a fresh process."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("framework", "reviewers"):
        shutil.copytree(PROJECT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT / "reviewers.yaml", project)
    (repo / "app" / "views.py").write_text("x = 1  # TODO: remove\n")
    env = {**os.environ, "PYTHONPATH": str(project), "NO_COLOR": "1"}
    env.pop("CODEPANEL_CONFIG", None)

    def codepanel(*args):
        return subprocess.run([sys.executable, "-m", "framework", *args], cwd=project, env=env,
                              capture_output=True, text=True, timeout=120)

    created = codepanel("reviewers", "new", "todo")
    assert created.returncode == 0, created.stderr
    assert (project / "reviewers" / "todo.py").exists()
    assert "todo:" in (project / "reviewers.yaml").read_text()
    listed = json.loads(codepanel("reviewers", "list", "--json").stdout)
    assert {"name": "todo", "origin": "built-in", "enabled": True}.items() <= next(
        row for row in listed if row["name"] == "todo").items()
    reviewed = codepanel("review", str(repo), "--reviewers", "todo", "-w", str(tmp_path / "ws"), "-f", "json")
    assert reviewed.returncode == 0, reviewed.stderr
    document = json.loads(reviewed.stdout)
    assert [(f["rule_id"], f["file"], f["line"]) for f in document["findings"]] == [("todo.marker", "app/views.py", 1)]
