"""A panel project in a folder of the user's: init, the nearest reviewers.yaml, its reviewers/ folder everywhere."""

from __future__ import annotations

import json
import shutil
import stat

import pytest

from framework.config import Project
from framework.config.project import packaged_file
from tests.conftest import PROJECT, TEST_PLUGINS


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def panel_project(tmp_path, cli, monkeypatch):
    """A folder made a panel project by `codepanel init`, the current folder from then on."""
    root = tmp_path / "team-panel"
    result = cli("init", str(root), config=None)
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(root)
    return root


def test_init_makes_a_project_with_the_built_ins_declared(panel_project, cli):
    config = panel_project / "reviewers.yaml"
    assert config.read_text() == packaged_file("reviewers.yaml").read_text()
    assert mode(config) == 0o644 and (panel_project / "reviewers" / "README.md").is_file()
    assert (panel_project / ".gitignore").read_text().splitlines() == [
        "# codepanel: local state", ".codepanel/", ".codepanel-image/", ".aws-sam/",
    ]  # fmt: skip
    again = cli("init", str(panel_project), config=None)
    assert again.exit_code == 2
    assert again.output.strip() == f"error: {config} exists: {panel_project} is a panel project already"


def test_init_adds_only_the_ignore_entries_a_gitignore_lacks(tmp_path, cli):
    folder = tmp_path / "existing"
    folder.mkdir()
    (folder / ".gitignore").write_text("*.log\n.codepanel\n")
    assert cli("init", str(folder), config=None).exit_code == 0
    assert (folder / ".gitignore").read_text() == "*.log\n.codepanel\n# codepanel: local state\n.codepanel-image/\n.aws-sam/\n"


def test_the_nearest_reviewers_yaml_up_from_here_defines_the_project(tmp_path, monkeypatch):
    (tmp_path / "outer").mkdir()
    (tmp_path / "outer" / "reviewers.yaml").write_text("version: 1\n")
    deep = tmp_path / "outer" / "src" / "pkg"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert Project.find() == Project(tmp_path / "outer" / "reviewers.yaml", tmp_path / "outer")
    monkeypatch.setenv("CODEPANEL_CONFIG", str(tmp_path / "other.yaml"))
    assert Project.find().root == tmp_path
    assert Project.find(str(deep / "x.yaml")).root == deep  # --config wins over both
    monkeypatch.delenv("CODEPANEL_CONFIG")
    monkeypatch.chdir(tmp_path)
    nowhere = Project.find()
    assert nowhere.root is None and nowhere.config_file == packaged_file("reviewers.yaml")


def test_a_new_reviewer_lands_in_the_project_and_runs_at_once(panel_project, cli, repo):
    (panel_project / "src").mkdir()
    made = cli("reviewers", "new", "licensecheck", config=None)
    assert made.exit_code == 0, made.output
    module = panel_project / "reviewers" / "licensecheck.py"
    assert made.output.splitlines() == [
        f"Created {module}",
        f"Declared reviewers.licensecheck in {panel_project / 'reviewers.yaml'}",
        "Run it: codepanel review PATH --reviewers licensecheck",
    ]
    assert mode(module) == 0o644 and not (panel_project / "reviewers" / "__init__.py").exists()
    listed = {row["name"]: row for row in json.loads(cli("reviewers", "list", "--json", config=None).output)}
    assert (listed["licensecheck"]["origin"], listed["security"]["origin"]) == ("project", "built-in")
    (repo / "app" / "notes.py").write_text("# TODO: check the licence\n")
    result = cli("review", str(repo), "--reviewers", "licensecheck,security", "-f", "json", config=None)
    assert result.exit_code == 0, result.output
    summary = json.JSONDecoder().raw_decode(result.output[result.output.index("{"):])[0]["summary"]
    assert summary["counts"]["by_reviewer"] == {"licensecheck": 1, "security": 2}


def test_without_a_project_nothing_is_written_anywhere(tmp_path_factory, cli, monkeypatch):
    elsewhere = tmp_path_factory.mktemp("elsewhere")  # no reviewers.yaml in it or above it
    monkeypatch.chdir(elsewhere)
    before = sorted(path.name for path in (PROJECT / "reviewers").iterdir())
    result = cli("reviewers", "new", "licensecheck", config=None)
    assert result.exit_code == 2
    assert result.output.strip().startswith("error: `codepanel reviewers new` needs a panel project: no reviewers.yaml in")
    assert list(elsewhere.iterdir()) == [] and sorted(path.name for path in (PROJECT / "reviewers").iterdir()) == before


def test_a_missing_plugin_says_where_plugins_were_looked_for(panel_project, cli):
    config = panel_project / "reviewers.yaml"
    config.write_text(config.read_text() + "  ghost:\n    plugin: ghost\n")
    result = cli("reviewers", "list", config=None)
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"error: {config}: reviewers.ghost.plugin: unknown plugin 'ghost'; registered plugins: security, style; "
        f"plugins were looked for in the built-in reviewers package, {panel_project / 'reviewers'} (the project), "
        "entry points (group 'codepanel')"
    )


def test_a_broken_project_plugin_fails_only_its_own_reviewer(panel_project, cli, repo, workspace):
    shutil.copy(TEST_PLUGINS / "broken_plugin.py", panel_project / "reviewers" / "broken.py")
    config = panel_project / "reviewers.yaml"
    config.write_text(config.read_text() + "  broken:\n    plugin: broken\n")
    result = cli("review", str(repo), config=None)
    assert result.exit_code == 3
    assert "warning: plugin 'broken' (project) failed to load: ImportError: this plugin is broken on purpose" in result.output
    (run,) = (workspace / "runs").iterdir()
    reviewers = json.loads((run / "summary.json").read_text())["reviewers"]
    assert reviewers["broken"]["status"] == "failed" and "no plugin registers a reviewer named 'broken'" in reviewers["broken"]["error"]
    assert reviewers["security"]["status"] == reviewers["style"]["status"] == "ok"
    assert cli("--help").exit_code == 0


def test_cloud_plugins_dir_is_loaded_by_local_commands_too(panel_project, cli, repo):
    shutil.copytree(TEST_PLUGINS, panel_project / "extra", ignore=shutil.ignore_patterns("broken_plugin.py", "raising_reviewer.py"))
    config = panel_project / "reviewers.yaml"
    config.write_text(config.read_text() + "  hack:\n    plugin: hack\ncloud:\n  plugins_dir: extra\n")
    listed = {row["name"]: row for row in json.loads(cli("reviewers", "list", "--json", config=None).output)}
    assert listed["hack"]["origin"] == f"plugins-dir {panel_project / 'extra'}"
    result = cli("review", str(repo), "-r", "hack", "-f", "json", config=None)
    assert result.exit_code == 0, result.output
