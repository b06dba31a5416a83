"""The CI pieces: the pre-commit hook, the example workflow and the exit codes in docs/ci.md."""

from __future__ import annotations

import json
import re
import shlex

import yaml

from framework.cli import commands as cli_module
from framework.cli import options as cli_options
from framework.errors import CodepanelError
from tests.conftest import PROJECT


def parse_command(command: str):
    """Parse a `codepanel review ...` command line with the real CLI: unknown options fail."""
    words = shlex.split(command)
    assert words[:2] == ["codepanel", "review"], words
    return cli_module.review.make_context("review", words[2:]).params


def test_the_pre_commit_hook_reviews_the_changes_and_fails_on_high():
    hooks = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())
    assert [hook["id"] for hook in hooks] == ["codepanel"]
    (hook,) = hooks
    assert (hook["language"], hook["pass_filenames"]) == ("python", False)
    params = parse_command(hook["entry"])
    assert (params["target"], params["diff_base"], params["fail_on"]) == (".", "HEAD", "high")


def test_the_example_workflow_reviews_and_uploads_the_sarif():
    workflow = yaml.safe_load((PROJECT / "docs" / "examples" / "github-actions.yml").read_text())
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["review"]["steps"]
    reviews = [parse_command(step["run"].replace('"$RUNNER_TEMP/codepanel"', "/tmp/ws"))
               for step in steps if "codepanel review" in step.get("run", "")]  # fmt: skip
    full = next(params for params in reviews if params["output_format"] == "sarif")
    assert (
        full["diff_base"] is None
    )  # code scanning closes alerts missing from an upload: never upload a diff
    (upload,) = [
        step
        for step in steps
        if step.get("uses", "").startswith("github/codeql-action/upload-sarif@")
    ]
    assert upload["with"]["sarif_file"] == full["output"]
    assert any(params["diff_base"] and params["fail_on"] == "high" for params in reviews)


def test_docs_ci_documents_every_exit_code():
    text = (PROJECT / "docs" / "ci.md").read_text()
    documented = {int(code) for code in re.findall(r"^\| `(\d)` \|", text, re.MULTILINE)}
    assert documented == {0, cli_options.EXIT_FINDINGS, CodepanelError.exit_code, cli_options.EXIT_INCOMPLETE,
                          cli_options.EXIT_INTERNAL}  # fmt: skip


def test_reviewing_the_current_directory_leaves_the_default_workspace_out(cli, repo, monkeypatch):
    monkeypatch.chdir(repo)
    for _ in range(2):
        result = cli("review", ".", "--no-progress", env={"CODEPANEL_WORKSPACE": ""})
        assert result.exit_code == 0, result.stderr
    runs = sorted((repo / ".codepanel" / "runs").iterdir())
    manifest = json.loads((runs[-1] / "manifest.json").read_text())
    assert [entry["path"] for entry in manifest["included"]] == [
        "README.md",
        "app/__init__.py",
        "app/util.py",
        "app/views.py",
    ]
    assert {"path": ".codepanel/", "reason": "codepanel's workspace"} in manifest["skipped"]
