"""The functions' image build context that `generate` and `deploy --dry-run` assemble in a project."""

from __future__ import annotations

import importlib.metadata
import os
import stat
import sys

import pytest
from click.testing import CliRunner
from cloud_helpers import parse

from framework.cli import cli
from framework.cloud import image
from tests.conftest import TEST_PLUGINS

LICENSE_REVIEWER = '''
from framework import Reviewer, hookimpl


class LicenseReviewer(Reviewer):
    name = "licensecheck"

    def analyze(self, tree, settings):
        if not any(path.lower().startswith("license") for path in tree.files):
            yield self.finding(rule_id="no-license", message="no LICENSE file", file=".", severity="low")


@hookimpl
def register_reviewers(register):
    register(LicenseReviewer)
'''


def invoke(*args, cwd):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture
def project(tmp_path):
    """A panel project with a plugin of its own, a plugins folder, requirements and local clutter."""
    root = tmp_path / "team-panel"
    assert invoke("init", str(root), cwd=tmp_path).exit_code == 0
    plugin = root / "reviewers" / "licensecheck.py"
    plugin.write_text(LICENSE_REVIEWER)
    plugin.chmod(0o600)  # as an editor with a private umask leaves it
    (root / "extra").mkdir()
    (root / "extra" / "todo_reviewer.py").write_text((TEST_PLUGINS / "todo_reviewer.py").read_text())
    config = root / "reviewers.yaml"
    config.write_text(config.read_text() + "  licensecheck:\n    plugin: licensecheck\n  hack:\n    plugin: hack\n"
                      "cloud:\n  plugins_dir: extra\n")  # fmt: skip
    (root / "requirements.txt").write_text("inflection==0.5.1  # what a plugin imports\n")
    # What must never reach the image.
    (root / ".env").write_text("AWS_SECRET_ACCESS_KEY=not-for-the-image\n")
    (root / "reviewers" / ".secret").write_text("token\n")
    (root / "reviewers" / "__pycache__").mkdir()
    (root / "reviewers" / "__pycache__" / "licensecheck.cpython-311.pyc").write_bytes(b"\0")
    (root / ".codepanel" / "runs").mkdir(parents=True)
    return root


def package_files(name: str) -> set[str]:
    root = image.installed_package(name)
    return {
        f"codepanel/{name}/{path.relative_to(root).as_posix()}" for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
    }  # fmt: skip


def test_dry_run_assembles_exactly_what_the_image_needs_readable_by_anyone(project, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "no-sam-here"))
    result = invoke("deploy", "--dry-run", cwd=project)
    assert result.exit_code == 0, result.output
    context = project / ".codepanel-image"
    lines = result.output.splitlines()
    assert f"Wrote {project / 'template.yaml'}" in lines
    assert any(line.startswith(f"Assembled the image's build context in {context} (") for line in lines)
    assert f"Would run: docker build --platform linux/arm64 --tag codepanel/codepanel:{image.context_digest(context, (context / 'MANIFEST.txt').read_text().split())} {context}" in lines
    assert any(line.startswith(f"Would run in {project}: sam deploy --template-file {project / 'template.yaml'} ") for line in lines)
    files = {path.relative_to(context).as_posix() for path in context.rglob("*") if path.is_file()}
    assert files == {
        "Dockerfile", "requirements.txt", "project-requirements.txt", "MANIFEST.txt",
        "project/reviewers.yaml", "project/reviewers/licensecheck.py", "project/reviewers/README.md",
        "plugins/todo_reviewer.py", *package_files("framework"), *package_files("reviewers"),
    }  # fmt: skip
    assert (context / "MANIFEST.txt").read_text().splitlines() == sorted(files)
    for path in [context, *context.rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o755 if path.is_dir() else 0o644), path
    assert (context / "project-requirements.txt").read_text() == (project / "requirements.txt").read_text()
    assert (context / "project" / "reviewers.yaml").read_text() == (project / "reviewers.yaml").read_text()


def test_codepanel_requirements_are_pinned_to_what_runs_here(project):
    assert invoke("generate", cwd=project).exit_code == 0
    pinned = (project / ".codepanel-image" / "requirements.txt").read_text().splitlines()
    assert f"pluggy=={importlib.metadata.version('pluggy')}" in pinned
    assert f"strands-agents=={importlib.metadata.version('strands-agents')}" in pinned
    assert all("==" in line and "pytest" not in line for line in pinned)  # no test extra


def test_the_functions_load_the_project_plugins_from_where_the_image_puts_them(project):
    assert invoke("generate", cwd=project).exit_code == 0
    resources = parse((project / "template.yaml").read_text())["Resources"]
    variables = resources["ReviewerLicensecheckFunction"]["Properties"]["Environment"]["Variables"]
    assert variables["CODEPANEL_PROJECT_PLUGINS"] == image.IMAGE_PROJECT_PLUGINS == "/opt/codepanel/project/reviewers"
    assert variables["CODEPANEL_PLUGINS_DIR"] == image.IMAGE_PLUGINS_DIR
    orchestrator = resources["OrchestratorFunction"]["Properties"]["Environment"]["Variables"]
    assert orchestrator["CODEPANEL_PROJECT_PLUGINS"] == image.IMAGE_PROJECT_PLUGINS
    dockerfile = (project / ".codepanel-image" / "Dockerfile").read_text()
    assert "COPY project/ /opt/codepanel/project/" in dockerfile and "COPY plugins/ /opt/codepanel/plugins/" in dockerfile


def test_entry_point_plugins_the_requirements_do_not_name_are_warned_of(project, tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "codepanel_fancy-1.0.dist-info").mkdir(parents=True)
    (site / "codepanel_fancy-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: codepanel-fancy\nVersion: 1.0\n")
    (site / "codepanel_fancy-1.0.dist-info" / "entry_points.txt").write_text("[codepanel]\nfancy = codepanel_fancy\n")
    (site / "codepanel_fancy.py").write_text("")
    monkeypatch.syspath_prepend(str(site))
    result = invoke("generate", cwd=project)
    assert result.exit_code == 0
    assert ("warning: entry-point plugin 'fancy' (codepanel-fancy 1.0) will not be in the image: it is installed "
            "here, but only what requirements.txt names is installed there; add codepanel-fancy==1.0 to "
            "requirements.txt") in result.output  # fmt: skip
    (project / "requirements.txt").write_text("codepanel_fancy==1.0\n-e ../local-thing\n")
    result = invoke("generate", cwd=project)
    assert "entry-point plugin" not in result.output
    assert "warning: requirements.txt line 2: '-e ../local-thing' names a local file or folder" in result.output
    sys.modules.pop("codepanel_fancy", None)


def test_a_folder_codepanel_did_not_make_is_never_cleared(project):
    (project / ".codepanel-image").mkdir()
    (project / ".codepanel-image" / "notes.txt").write_text("mine")
    result = invoke("generate", cwd=project)
    assert result.exit_code == 2
    assert "is not a build context codepanel made: move it away" in result.output
    assert (project / ".codepanel-image" / "notes.txt").read_text() == "mine"
