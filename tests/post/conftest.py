"""Fixtures of the posting tests: a pull request's checkout, reviews of it, GitHub's contract."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from framework.post.limits import Limits
from framework.run.workspace import Workspace
from tests.conftest import git
from tests.post import openapi_contract

# No pause between writes, and short waits for rate limits: the tests' clock.
FAST = Limits(seconds_between_writes=0, max_wait=5, retries=2, timeout=10)
BASE_FILES = {"README.md": "# app\n", "app/__init__.py": "", "tests/test_app.py": "def test_app():\n    assert True\n",
              "app/views.py": "def hello():\n    return 'hello'\n"}  # fmt: skip


@pytest.fixture(scope="session")
def contract():
    if openapi_contract.spec_folder() is None:
        if os.environ.get("CI"):  # CI must check the contract, never skip it
            pytest.fail(f"{openapi_contract.SPEC_VARIABLE} is not set: .ci/run fetches @octokit/openapi")
        pytest.skip(f"GitHub's OpenAPI description is not here: set {openapi_contract.SPEC_VARIABLE} to the folder "
                    "of the npm package @octokit/openapi (.ci/run fetches it)")  # fmt: skip
    return openapi_contract.load()


@dataclass
class Checkout:
    root: Path
    workspace: Path
    base: str

    def push(self, files: dict[str, str]) -> None:
        """A commit on the pull request's branch."""
        for name, text in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        git("add", "-A", cwd=self.root)
        git("commit", "-q", "-m", "push", cwd=self.root)

    def patches(self) -> dict[str, str]:
        """Each changed file's patch, as GitHub's pulls/N/files gives it (hunks, three lines of context)."""
        names = git("diff", "--name-only", "--diff-filter=d", self.base, "HEAD", cwd=self.root).split()
        patches = {}
        for name in names:
            text = git("diff", "--no-color", self.base, "HEAD", "--", name, cwd=self.root)
            patches[name] = text[text.index("@@"):].rstrip("\n")
        return patches

    def head(self) -> str:
        return git("rev-parse", "HEAD", cwd=self.root).strip()

    def review(self, cli, *extra: str, env: dict | None = None):
        """`codepanel review ROOT --diff BASE`; returns the click result and the run."""
        result = cli("review", str(self.root), "--diff", self.base, "--no-progress", *extra, env=env)
        run_id = max(Workspace(self.workspace).runs())
        return result, Workspace(self.workspace).run(run_id)


@pytest.fixture
def checkout(tmp_path, workspace) -> Checkout:
    root = tmp_path / "app"
    for name, text in BASE_FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git("init", "-q", "-b", "main", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-q", "-m", "base", cwd=root)
    base = git("rev-parse", "HEAD", cwd=root).strip()
    git("checkout", "-q", "-b", "feature", cwd=root)
    return Checkout(root, workspace, base)


@pytest.fixture
def github(contract):
    from tests.post.github_server import FakeGitHub

    servers = []

    def start(**settings):
        server = FakeGitHub(contract, **settings)
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def actions_env(server, token: str = "ghs_test-installation-token") -> dict[str, str]:
    """What GitHub Actions sets for a step given the token (--pr names the pull request)."""
    return {"GITHUB_TOKEN": token, "GITHUB_REPOSITORY": server.repository, "GITHUB_API_URL": server.url}
