"""action.yml and the workflow in docs/ci.md: the commands they run are the real CLI's."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tomllib

import yaml

from framework.cli import commands
from tests.conftest import PROJECT, git

STUB = """#!/usr/bin/env python3
import json, os, sys
with open(os.environ["STUB_LOG"], "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
sys.exit(int(os.environ.get("STUB_EXIT", "0")))
"""


def action():
    return yaml.safe_load((PROJECT / "action.yml").read_text())


def step(name_part: str) -> dict:
    return next(s for s in action()["runs"]["steps"] if name_part in s.get("name", ""))


def run_step(script: str, tmp_path, env: dict[str, str], cwd) -> tuple[list[list[str]], str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "codepanel").write_text(STUB)
    (bin_dir / "codepanel").chmod(0o755)
    log, output = tmp_path / "calls.jsonl", tmp_path / "output"
    full = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "STUB_LOG": str(log), "GITHUB_OUTPUT": str(output),
            "GIT_CONFIG_GLOBAL": os.devnull, **env}  # fmt: skip
    subprocess.run(["bash", "-c", script], cwd=cwd, env=full, check=True)
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    return calls, output.read_text() if output.exists() else ""


def test_the_action_reviews_the_merge_base_diff_posts_and_keeps_the_exit_code(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    (root / "a.py").write_text("x = 1\n")
    git("init", "-q", "-b", "main", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-q", "-m", "base", cwd=root)
    base = git("rev-parse", "HEAD", cwd=root).strip()
    git("checkout", "-q", "-b", "feature", cwd=root)
    (root / "a.py").write_text("x = 2\n")
    git("commit", "-qam", "change", cwd=root)
    review = step("post the review")
    assert review["env"]["GITHUB_TOKEN"] == "${{ inputs.github-token }}"
    env = {"INPUT_REVIEWERS": "security,style", "INPUT_FAIL_ON": "high", "INPUT_POST": "github", "INPUT_BASE": "",
           "INPUT_CONFIG": "", "PR_BASE": base, "STUB_EXIT": "1"}  # fmt: skip
    (call,), output = run_step(review["run"], tmp_path, env, root)
    assert call[0] == "review"
    params = commands.review.make_context("review", call[1:]).params
    assert (params["diff_base"], params["post"], params["fail_on"], params["reviewers"]) == (
        base, "github", "high", ["security", "style"])  # fmt: skip
    assert output.strip() == "exit-code=1"
    last = action()["runs"]["steps"][-1]
    assert "steps.review.outputs.exit-code" in last["run"] and "!= '0'" in last["if"]


def test_the_action_uploads_a_whole_reviews_sarif_and_installs_the_posting_clients(tmp_path):
    whole = step("whole repository")
    calls, _ = run_step(whole["run"], tmp_path, {"INPUT_REVIEWERS": "", "INPUT_CONFIG": ""}, tmp_path)
    params = commands.review.make_context("review", calls[0][1:]).params
    assert params["diff_base"] is None and params["output_format"] == "sarif"
    (upload,) = [s for s in action()["runs"]["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload["with"]["sarif_file"] == params["output"]
    install = step("Install codepanel")["run"]
    assert '"${GITHUB_ACTION_PATH}[post]"' in install
    extras = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert any(dep.startswith("PyGithub") for dep in extras["post"])
    assert any(s.get("uses", "").startswith("actions/cache@") for s in action()["runs"]["steps"])


def test_docs_ci_has_a_complete_workflow_using_the_action():
    text = (PROJECT / "docs" / "ci.md").read_text()
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL) if "codepanel@" in b)
    workflow = yaml.safe_load(block)
    assert workflow["permissions"]["pull-requests"] == "write"
    steps = workflow["jobs"]["review"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@") and steps[0]["with"]["fetch-depth"] == 0
    uses = steps[1]
    assert set(uses["with"]) <= set(action()["inputs"])
    assert uses["with"]["fail-on"] in ("critical", "high", "medium", "low", "info")
