"""End to end, as users work: codepanel built as a wheel and installed into a fresh virtual environment,
a panel project in a folder of their own, and the image's contents run as the functions' runtime user.

These build and install real environments (from the package index), so they take a minute or two.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from cloud_helpers import lint, parse, translate

from tests.conftest import PROJECT

REPOSITORY = {"app/views.py": "import os\nfrom flask import request\n\ndef run():\n    os.system(request.args['c'])\n",
              "app/notes.py": "# TODO: name the licence\n", "README.md": "# demo\n"}  # fmt: skip
NAMING_REVIEWER = '''"""Flags modules whose names are not snake_case, with the inflection package from requirements.txt."""

import inflection

from framework import Reviewer, hookimpl


class NamingReviewer(Reviewer):
    name = "naming"

    def analyze_files(self, tree, paths, settings):
        for path in (path for path in paths if path.endswith(".py")):
            stem = path.rsplit("/", 1)[-1].removesuffix(".py")
            if inflection.underscore(stem) != stem:
                yield self.finding(rule_id="module-name", message=f"{stem} is not snake_case", file=path)


@hookimpl
def register_reviewers(register):
    register(NamingReviewer)
'''


def run(command, cwd, env=None, **kwargs) -> subprocess.CompletedProcess:
    completed = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False, **kwargs)
    assert completed.returncode == 0, f"{command}: {completed.stdout[-2000:]}{completed.stderr[-3000:]}"
    return completed


def clean_environment(bin_dir: Path | None = None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CODEPANEL_", "VIRTUAL_ENV", "PYTHON"))}
    if bin_dir is not None:
        env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    return {**env, "NO_COLOR": "1"}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin folder of a fresh virtual environment holding codepanel, installed from its wheel."""
    scratch = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(scratch / "dist"), str(PROJECT)], scratch)
    (wheel,) = (scratch / "dist").glob("codepanel-*.whl")
    run([sys.executable, "-m", "venv", str(scratch / "venv")], scratch)
    bin_dir = scratch / "venv" / "bin"
    run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)], scratch)
    return bin_dir


@pytest.fixture(scope="module")
def user_project(installed, tmp_path_factory) -> Path:
    """`init`, `reviewers new` and a second reviewer with a requirement, in a folder outside the source tree."""
    root = tmp_path_factory.mktemp("user") / "team-panel"
    env = clean_environment(installed)
    run(["codepanel", "init", str(root)], root.parent, env)
    run(["codepanel", "reviewers", "new", "licensecheck"], root, env)
    (root / "reviewers" / "naming.py").write_text(NAMING_REVIEWER)
    (root / "requirements.txt").write_text("inflection==0.5.1\n")
    config = root / "reviewers.yaml"
    config.write_text(config.read_text() + "  naming:\n    plugin: naming\n    enabled: false\n")
    assert not str(root).startswith(str(PROJECT))
    return root


def test_a_project_from_an_installed_wheel_reviews_generates_and_assembles_its_image(installed, user_project, tmp_path):
    env = clean_environment(installed)
    listed = json.loads(run(["codepanel", "reviewers", "list", "--json"], user_project, env).stdout)
    assert {row["name"]: row["origin"] for row in listed}["licensecheck"] == "project"
    repository = write_tree(tmp_path / "repo", REPOSITORY)
    review = run(["codepanel", "review", str(repository), "-r", "licensecheck,security", "-f", "json"], user_project, env)
    summary = json.loads(review.stdout)["summary"]
    assert summary["status"] == "ok" and summary["counts"]["by_reviewer"] == {"licensecheck": 1, "security": 1}

    run(["codepanel", "generate"], user_project, env)
    template_text = (user_project / "template.yaml").read_text()
    assert [str(match) for match in lint(template_text, "us-east-1")] == []
    translated = json.dumps(translate(parse(template_text), "us-east-1"), indent=1)
    assert [str(match) for match in lint(translated, "us-east-1")] == []
    functions = {name for name, resource in parse(template_text)["Resources"].items()
                 if resource["Type"] == "AWS::Serverless::Function"}  # fmt: skip
    assert functions == {"OrchestratorFunction", "ReviewerSecurityFunction", "ReviewerStyleFunction",
                         "ReviewerLicensecheckFunction"}  # fmt: skip

    dry_run = run(["codepanel", "deploy", "--dry-run"], user_project, env).stdout
    assert "Would run: docker build" in dry_run and "sam deploy" in dry_run
    context = user_project / ".codepanel-image"
    site = Path(run([str(installed / "python"), "-c", "import framework, pathlib; print(pathlib.Path(framework.__file__).parent.parent)"],
                    user_project, env).stdout.strip())  # fmt: skip
    expected = {"Dockerfile", "requirements.txt", "project-requirements.txt", "MANIFEST.txt", "project/reviewers.yaml",
                "project/reviewers/README.md", "project/reviewers/licensecheck.py", "project/reviewers/naming.py"}  # fmt: skip
    for package in ("framework", "reviewers"):
        expected |= {f"codepanel/{package}/{path.relative_to(site / package).as_posix()}"
                     for path in (site / package).rglob("*") if path.is_file() and "__pycache__" not in path.parts}  # fmt: skip
    files = {path.relative_to(context).as_posix() for path in context.rglob("*") if path.is_file()}
    assert files == expected
    assert "codepanel/framework/data/reviewers.yaml" in files  # the installed package, not a checkout
    for path in [context, *context.rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o755 if path.is_dir() else 0o644), path


def interpreter_for_another_user() -> str | None:
    """A Python that an unprivileged user can run (pyenv's lives in root's private home)."""
    if os.geteuid() != 0:
        return sys.executable
    system = Path("/usr/bin/python3")
    probe = subprocess.run([str(system), "-c", "import sys, venv; print(sys.version_info >= (3, 11))"],
                           capture_output=True, text=True, check=False) if system.exists() else None  # fmt: skip
    return str(system) if probe and probe.stdout.strip() == "True" else None


def as_nobody() -> None:
    if os.geteuid() == 0:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)


def test_the_image_runs_the_projects_reviewers_as_an_unprivileged_user(installed, user_project):
    python = interpreter_for_another_user()
    if python is None:
        pytest.skip("no Python here that an unprivileged user can run")
    env = clean_environment(installed)
    run(["codepanel", "deploy", "--dry-run"], user_project, env)
    context = user_project / ".codepanel-image"
    # What the Dockerfile does, in a folder every user can read: install the two requirement files
    # into a fresh environment, then lay the rest out where the image puts it, with the same modes.
    base = Path(tempfile.mkdtemp(prefix="codepanel-image-", dir="/tmp"))
    try:
        os.chmod(base, 0o755)
        run([python, "-m", "venv", str(base / "python")], base)
        run([str(base / "python" / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
             "-r", str(context / "requirements.txt"), "-r", str(context / "project-requirements.txt")], base)  # fmt: skip
        task_root, opt = base / "var" / "task", base / "opt" / "codepanel"
        shutil.copytree(context / "codepanel", task_root)
        shutil.copytree(context / "project", opt / "project")
        shutil.copytree(context / "plugins", opt / "plugins")
        workspace = prepare_run(base / "mnt" / "workspace", context)
        for name, findings in (("licensecheck", 1), ("naming", 1)):
            lambda_env = {
                "PATH": "/usr/bin:/bin", "HOME": "/tmp", "PYTHONPATH": str(task_root), "LAMBDA_TASK_ROOT": str(task_root),
                "AWS_LAMBDA_FUNCTION_NAME": f"team-panel-reviewer-{name}", "CODEPANEL_REVIEWER": name,
                "CODEPANEL_WORKSPACE": str(workspace), "CODEPANEL_PROJECT_PLUGINS": str(opt / "project" / "reviewers"),
            }  # fmt: skip
            completed = subprocess.run(
                [str(base / "python" / "bin" / "python"), "-c",
                 "import json, sys; from framework.run.reviewer_handler import handler; "
                 "print(json.dumps(handler({'run_id': sys.argv[1]})))", RUN_ID],
                cwd="/", env=lambda_env, capture_output=True, text=True, timeout=300, check=False, preexec_fn=as_nobody,
            )  # fmt: skip
            assert completed.returncode == 0, completed.stderr[-3000:]
            outcome = json.loads(completed.stdout.strip().splitlines()[-1])
            assert (outcome["reviewer"], outcome["status"], outcome["findings"]) == (name, "ok", findings)
    finally:
        shutil.rmtree(base, ignore_errors=True)


RUN_ID = "20261201T000000Z-0123abcd"


def prepare_run(root: Path, context: Path) -> Path:
    """A workspace as the orchestrator leaves it before fanning out, writable by the functions' user."""
    from framework import source
    from framework.config import SourceLimits
    from framework.run.request import RunRequest
    from framework.run.workspace import Workspace, write_json

    workspace = Workspace(root)
    workspace.publish_config((context / "project" / "reviewers.yaml").read_text())
    run_dir = workspace.run(RUN_ID)
    run_dir.dir.mkdir(parents=True)
    shutil.copyfile(workspace.config_path, run_dir.config_path)  # the orchestrator's start-run step
    repository = write_tree(root.parent / "repository", {**REPOSITORY, "app/CamelCase.py": "x = 1\n"})
    write_json(run_dir.request_path, RunRequest(repository=str(repository), run_id=RUN_ID).to_json())
    write_json(run_dir.manifest_path, source.fetch(str(repository), run_dir.source_dir, SourceLimits(), allow_local=True))
    for folder, _, files in os.walk(root.parent):
        os.chmod(folder, 0o777)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o666)
    return root


def test_the_same_flow_inside_a_codepanel_checkout(tmp_path):
    """In a checkout the project's reviewers/ folder is the built-in package: nothing is registered twice."""
    tracked = run(["git", "ls-files"], PROJECT).stdout.split()
    checkout = tmp_path / "checkout"
    for name in tracked:
        if name.startswith(("framework/", "reviewers/")) or name in ("reviewers.yaml", "template.yaml.j2"):
            (checkout / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT / name, checkout / name)
    env = {**clean_environment(), "PYTHONPATH": str(checkout)}
    codepanel = [sys.executable, "-m", "framework"]
    run([*codepanel, "reviewers", "new", "licensecheck"], checkout, env)
    assert (checkout / "reviewers" / "licensecheck.py").is_file()
    listed = json.loads(run([*codepanel, "reviewers", "list", "--json"], checkout, env).stdout)
    names = [row["name"] for row in listed]
    assert sorted(names) == ["licensecheck", "security", "style"]  # each once
    assert {row["origin"] for row in listed} == {"built-in"}
    repository = write_tree(tmp_path / "repo", REPOSITORY)
    review = run([*codepanel, "review", str(repository), "-r", "licensecheck", "-f", "json"], checkout, env)
    assert json.loads(review.stdout)["summary"]["counts"]["by_reviewer"] == {"licensecheck": 1}
    run([*codepanel, "deploy", "--dry-run"], checkout, env)
    files = (checkout / ".codepanel-image" / "MANIFEST.txt").read_text().splitlines()
    assert "codepanel/reviewers/licensecheck.py" in files
    assert not [name for name in files if name.startswith("project/reviewers/") and name.endswith(".py")]
    template = parse((checkout / "template.yaml").read_text())
    variables = template["Resources"]["ReviewerLicensecheckFunction"]["Properties"]["Environment"]["Variables"]
    assert "CODEPANEL_PROJECT_PLUGINS" not in variables
