"""The durable orchestrator under the SDK's local runner, with the reviewer handler as invoke targets."""

from __future__ import annotations

import json

import pytest
from aws_durable_execution_sdk_python_testing import DurableFunctionTestRunner

from framework.run import orchestrator
from framework.run import reviewer_handler as review
from framework.run.request import RunRequest
from framework.run.workspace import Workspace
from tests.conftest import PROJECT, commit_all


@pytest.fixture
def published(workspace):
    ws = Workspace(workspace)
    ws.publish_config((PROJECT / "reviewers.yaml").read_text())
    return ws


def run_orchestrator(event, targets=None):
    with DurableFunctionTestRunner(handler=orchestrator.handler, poll_interval=0.05) as runner:
        for name in ("security", "style"):
            runner.register_function(f"codepanel-reviewer-{name}", (targets or {}).get(name, review.handler))
        result = runner.run(input=json.dumps(event), execution_timeout=120)
    return result


def test_operations_have_fixed_names_and_the_summary_is_returned(published, repo):
    result = run_orchestrator({"repository": str(repo), "workspace": str(published.root)})
    assert result.error is None
    names = [operation.name for operation in result.operations]
    assert names == ["start-run", "fetch-source", "resolve-reviewers", "reviewers", "aggregate"]
    summary = json.loads(result.result)
    assert summary["status"] == "ok"
    assert set(summary["reviewers"]) == {"security", "style"}
    run = published.run(summary["run_id"])
    assert json.loads(run.summary_path.read_text()) == summary


def test_a_refused_source_gives_a_failed_summary_and_runs_no_reviewer(published):
    result = run_orchestrator({"repository": "https://evil.example/x.git", "workspace": str(published.root)})
    summary = json.loads(result.result)
    assert summary["status"] == "failed"
    assert "host 'evil.example' is not allowed" in summary["error"]
    assert summary["reviewers"] == {}
    assert [operation.name for operation in result.operations] == ["start-run", "fetch-source", "aggregate"]


def test_an_unknown_reviewer_in_the_request_fails_the_run_with_the_list(published, repo):
    result = run_orchestrator({"repository": str(repo), "reviewers": "security,ghost", "workspace": str(published.root)})
    summary = json.loads(result.result)
    assert summary["status"] == "failed"
    assert summary["error"] == "unknown reviewer 'ghost'; reviewers that exist: security, style"


def test_a_failing_invoke_target_is_recorded_and_the_other_result_kept(published, repo):
    def broken(event, context):
        raise RuntimeError("function crashed")

    result = run_orchestrator({"repository": str(repo), "workspace": str(published.root)}, {"style": broken})
    summary = json.loads(result.result)
    assert summary["status"] == "incomplete"
    assert summary["reviewers"]["style"]["status"] == "failed"
    assert "function crashed" in summary["reviewers"]["style"]["error"]
    assert summary["reviewers"]["security"]["status"] == "ok"
    assert summary["counts"]["by_reviewer"]["security"] == 2


def test_a_git_url_is_cloned_by_the_fetch_step(published, tmp_path):
    origin = commit_all(tmp_path / "origin", {"run.py": "import os\nos.system(input())\n"})
    # input() is a local source, reported at low confidence: ask for every finding.
    result = run_orchestrator({"repository": f"file://{origin}", "reviewers": ["security"], "workspace": str(published.root),
                               "min_confidence": "low"})
    summary = json.loads(result.result)
    assert summary["status"] == "ok" and len(summary["commit"]) == 40
    assert summary["counts"]["by_reviewer"] == {"security": 1}


def test_invoke_targets_come_from_the_environment_on_aws(monkeypatch):
    monkeypatch.setenv("CODEPANEL_STACK", "cp")
    monkeypatch.setenv("CODEPANEL_FUNCTION_ARN_PREFIX", "arn:aws:lambda:eu-west-1:123456789012:function:")
    assert orchestrator.function_for("style") == "arn:aws:lambda:eu-west-1:123456789012:function:cp-r-style:live"
    monkeypatch.delenv("CODEPANEL_STACK")
    assert orchestrator.function_for("style") == "codepanel-reviewer-style"


def test_on_aws_the_event_cannot_choose_the_workspace(monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "codepanel-orchestrator")
    monkeypatch.setenv("CODEPANEL_WORKSPACE", str(tmp_path / "mnt"))
    request = RunRequest.from_event({"repository": "https://github.com/o/r", "workspace": "/etc"}, on_lambda=True)
    assert request.workspace is None
    assert orchestrator.run_of(request, "20260101T000000Z-0123abcd").dir == tmp_path / "mnt" / "runs" / "20260101T000000Z-0123abcd"
