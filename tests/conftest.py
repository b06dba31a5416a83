"""Fixtures shared by every test: a fresh plugin manager, repositories, workspaces, the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from framework import environment, hooks

# The fixture codepanel ships for plugin authors' tests (review_files), used here as they would use it.
pytest_plugins = ["framework.testing"]

PROJECT = Path(__file__).resolve().parent.parent
TEST_PLUGINS = Path(__file__).resolve().parent / "plugins"


@pytest.fixture
def pm():
    """A fresh plugin manager with codepanel's hookspecs and no plugins."""
    return hooks.new_manager()


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    for name in (*environment.NAMES, *environment.POSTING_NAMES, environment.LAMBDA_FUNCTION_NAME):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def repo(tmp_path) -> Path:
    """A small Python repository with something for each built-in reviewer to find."""
    root = tmp_path / "repo"
    (root / "app").mkdir(parents=True)
    (root / "README.md").write_text("# demo\n")
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "views.py").write_text(
        "import os\n"
        "from flask import request\n"
        "def run():\n"
        "    command = request.args['command']\n"
        "    os.system(command)  # untrusted data reaches a shell: a critical command injection\n"
        "    return command\n"
    )
    (root / "app" / "util.py").write_text(
        "import hashlib\nimport sys\n\ndef f():\n    return undefined_name, hashlib.md5(b'x').hexdigest()\n"
    )
    return root


@pytest.fixture
def config_file(tmp_path) -> Path:
    """A copy of the project's reviewers.yaml that a test may change."""
    path = tmp_path / "reviewers.yaml"
    shutil.copy(PROJECT / "reviewers.yaml", path)
    return path


@pytest.fixture
def plugins_folder(tmp_path):
    """Make a plugins folder holding copies of the named example plugins from tests/plugins/."""

    def make(*names: str) -> Path:
        folder = tmp_path / "plugins"
        folder.mkdir(exist_ok=True)
        for name in names:
            shutil.copy(TEST_PLUGINS / f"{name}.py", folder)
        return folder

    return make


@pytest.fixture
def workspace(tmp_path) -> Path:
    return tmp_path / "workspace"


@pytest.fixture
def cli(config_file, workspace):
    """Invoke `codepanel` in-process; returns the click Result."""
    from framework.cli.commands import cli as command

    runner = CliRunner()

    def invoke(*args: str, config: Path | None = config_file, env: dict | None = None):
        environment = {"CODEPANEL_WORKSPACE": str(workspace), **(env or {})}
        if config is not None:
            environment["CODEPANEL_CONFIG"] = str(config)
        return runner.invoke(command, list(args), env=environment, catch_exceptions=False)

    return invoke


def git(*args: str, cwd: Path) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": os.devnull}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, check=False, capture_output=True, text=True)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr.strip()}"
    return done.stdout


def touch(root: Path) -> None:
    """Change the tree's metadata, not its content: reviewing it again is a new run (framework/run/reuse.py)
    whose analyzers read their cache, where an untouched tree would be answered by the run before."""
    path = next(path for path in sorted(root.rglob("*")) if path.is_file() and ".git" not in path.parts)
    os.utime(path)


def commit_all(root: Path, files: dict[str, str] | None = None) -> Path:
    """Make ``root`` a git repository (creating it, and ``files`` in it) with one commit of everything."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git("init", "-q", "-b", "main", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-q", "-m", "commit", cwd=root)
    return root

