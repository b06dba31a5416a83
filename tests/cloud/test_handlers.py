"""The Lambda handlers in-process with the events and environments they get on AWS.

The orchestrator runs under the durable SDK's local runner with the reviewer processes of local
mode as invoke targets (framework.local.ReviewerProcess), registered under the qualified ARNs that
the orchestrator derives from its stack (framework.cloud.names); its event is the one `codepanel run` sends.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import boto3
import pytest
from aws_durable_execution_sdk_python_testing import DurableFunctionTestRunner
from botocore.stub import ANY, Stubber
from cloud_helpers import REPO

from framework import environment
from framework.cloud import http_trigger as api
from framework.cloud import remote
from framework.run import local, orchestrator
from framework.run import reviewer_handler as review
from framework.run.request import RunRequest
from framework.run.workspace import RUN_ID_PATTERN, Workspace
from tests.conftest import commit_all

ACCOUNT_ARN = "arn:aws:lambda:us-east-1:123456789012:function"
RUN_ID = "20260102T030405Z-00c0ffee"


def alias_arn(name: str) -> str:
    return f"{ACCOUNT_ARN}:codepanel-r-{name}:live"


def deploy_env(monkeypatch) -> None:
    """The orchestrator's environment as the template sets it: its stack and its account's function ARNs."""
    monkeypatch.setenv("CODEPANEL_STACK", "codepanel")
    monkeypatch.setenv("CODEPANEL_FUNCTION_ARN_PREFIX", ACCOUNT_ARN + ":")


@pytest.fixture
def mount(tmp_path, monkeypatch) -> Workspace:
    """The S3 Files mount of the functions, with the config that `codepanel deploy` published."""
    root = tmp_path / "mnt" / "workspace"
    workspace = Workspace(root)
    workspace.publish_config((REPO / "reviewers.yaml").read_text())
    monkeypatch.setenv("CODEPANEL_WORKSPACE", str(root))
    return workspace


@pytest.fixture
def origin(tmp_path) -> Path:
    """A git repository with a command injection and a weak hash in it."""
    return commit_all(tmp_path / "origin", {"app.py": "import hashlib\nimport os\n\nos.system(input())\nhashlib.md5(b'x')\n"})


def lambda_env(name: str, workspace: Workspace) -> dict[str, str]:
    """A reviewer function's environment as the template sets it, plus Lambda's own variable."""
    env = local.reviewer_environment(None)
    for variable in ("CODEPANEL_STACK", "CODEPANEL_FUNCTION_ARN_PREFIX"):
        env.pop(variable, None)
    return {**env, "CODEPANEL_REVIEWER": name, "CODEPANEL_WORKSPACE": str(workspace.root),
            "AWS_LAMBDA_FUNCTION_NAME": f"codepanel-r-{name}"}  # fmt: skip


def run_orchestrator(event: dict, workspace: Workspace, deployed: dict[str, str]):
    # The runner stands in for Lambda in one region and account, and refuses invoke targets elsewhere.
    with DurableFunctionTestRunner(
        handler=orchestrator.handler, poll_interval=0.05, region="us-east-1"
    ) as runner:
        run = workspace.run(event["run_id"])
        processes = local.Processes()
        for name, arn in deployed.items():
            target = local.ReviewerProcess(run, lambda_env(name, workspace), processes)
            # Registered as NAME:ALIAS: the runner finds it only if the invoke named that alias.
            runner.register_function(arn.split(":function:")[1], target)
        return runner.run(
            input=json.dumps(event), execution_timeout=300, function_name="codepanel-orchestrator",
            execution_name=event["run_id"], account_id="123456789012",
        )  # fmt: skip


def test_the_orchestrator_invokes_each_reviewer_through_its_qualified_arn(
    mount, origin, monkeypatch
):
    deployed = {name: alias_arn(name) for name in ("security", "style")}
    deploy_env(monkeypatch)
    assert [orchestrator.function_for(name) for name in deployed] == list(deployed.values())
    event = remote.request_event(f"file://{origin}", ["security", "style"], RUN_ID)

    result = run_orchestrator(event, mount, deployed)

    assert result.error is None
    summary = json.loads(result.result)
    assert (summary["run_id"], summary["status"]) == (RUN_ID, "ok")
    assert {name: entry["status"] for name, entry in summary["reviewers"].items()} == {
        "security": "ok",
        "style": "ok",
    }
    run = mount.run(RUN_ID)
    findings = json.loads((run.dir / "findings.json").read_text())
    security = sorted((f["rule_id"], f["line"]) for f in findings if f["reviewer"] == "security")
    assert security == [("command-injection", 4), ("weak-hash", 5)]
    # What `codepanel run` reads afterwards is where the template's outputs say it is.
    assert summary["reports"]["findings"] == f"runs/{RUN_ID}/findings.json"
    assert json.loads(run.summary_path.read_text()) == summary


def test_a_reviewer_without_a_deployed_function_is_recorded_as_failed(mount, origin, monkeypatch):
    deployed = {"security": alias_arn("security")}
    deploy_env(monkeypatch)
    event = remote.request_event(f"file://{origin}", ["security", "style"], RUN_ID)

    summary = json.loads(run_orchestrator(event, mount, deployed).result)

    assert summary["status"] == "incomplete"
    assert summary["reviewers"]["security"]["status"] == "ok"
    assert summary["reviewers"]["style"]["status"] == "failed"


def test_on_lambda_the_orchestrator_keeps_to_its_mount_and_refuses_local_sources(
    mount, tmp_path, monkeypatch
):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "codepanel-orchestrator")
    deploy_env(monkeypatch)
    elsewhere = tmp_path / "elsewhere"
    event = {**remote.request_event("file:///etc", None, RUN_ID), "workspace": str(elsewhere)}

    summary = json.loads(run_orchestrator(event, mount, {}).result)

    assert summary["status"] == "failed"
    assert summary["error"] == "local sources are refused here: file:///etc"
    assert summary["reviewers"] == {}
    assert mount.run(RUN_ID).summary_path.is_file() and not elsewhere.exists()


def test_the_reviewer_handler_reads_its_name_and_workspace_from_its_environment(
    mount, origin, monkeypatch
):
    # The run as the orchestrator leaves it before fanning out: request, source and manifest.
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    request = RunRequest.from_event(remote.request_event(str(origin), None, RUN_ID))
    orchestrator.start_run(request)
    assert "error" not in orchestrator.fetch_source(request, RUN_ID)
    for name, value in lambda_env("security", mount).items():
        if name.startswith(("CODEPANEL_", "AWS_LAMBDA")):
            monkeypatch.setenv(name, value)

    outcome = review.handler({"run_id": RUN_ID, "workspace": "/somewhere/else"}, context=None)

    assert outcome == {
        "reviewer": "security", "status": "ok", "findings": 2, "duration": outcome["duration"],
        "results": f"runs/{RUN_ID}/results/security.json",
    }  # fmt: skip
    results = json.loads((mount.root / outcome["results"]).read_text())
    assert [(f["rule_id"], f["file"], f["line"], f["cwe"]) for f in results["findings"]] == [
        ("command-injection", "app.py", 4, 78),
        ("weak-hash", "app.py", 5, 328),
    ]
    assert json.loads(mount.run(RUN_ID).status_path("security").read_text())["status"] == "ok"
    assert not Path("/somewhere/else").exists()


# ---------------------------------------------------------------- the HTTP trigger


def http_event(body, base64_encoded=False) -> dict:
    """An API Gateway HTTP API (payload 2.0) event, as IAM-authorised requests arrive."""
    text = body if isinstance(body, str) else json.dumps(body)
    return {
        "version": "2.0", "routeKey": "POST /review", "rawPath": "/review",
        "headers": {"content-type": "application/json"},
        "requestContext": {"http": {"method": "POST", "path": "/review"},
                           "authorizer": {"iam": {"userArn": "arn:aws:iam::123456789012:user/dev"}}},
        "body": base64.b64encode(text.encode()).decode() if base64_encoded else text,
        "isBase64Encoded": base64_encoded,
    }  # fmt: skip


def test_the_trigger_starts_the_orchestrator_and_answers_with_the_run_id(monkeypatch):
    orchestrator_arn = f"{ACCOUNT_ARN}:codepanel-orchestrator:live"
    monkeypatch.setenv(environment.ORCHESTRATOR, orchestrator_arn)
    client = boto3.client(
        "lambda", region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
    )
    with Stubber(client) as stub:
        stub.add_response("invoke", {"StatusCode": 202}, {
            "FunctionName": orchestrator_arn, "InvocationType": "Event", "Payload": ANY, "DurableExecutionName": ANY,
        })  # fmt: skip
        body = {"repository": "https://github.com/octo/demo", "reviewers": "security, style"}
        response = api.handler(http_event(body, base64_encoded=True), None, lambda_client=client)
    assert response["statusCode"] == 202
    answer = json.loads(response["body"])
    assert answer["reviewers"] == ["security", "style"]
    assert RUN_ID_PATTERN.match(answer["run_id"])


def test_the_trigger_hides_aws_errors_from_the_caller(monkeypatch, capsys):
    monkeypatch.setenv(environment.ORCHESTRATOR, f"{ACCOUNT_ARN}:codepanel-orchestrator:live")
    client = boto3.client(
        "lambda", region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
    )
    with Stubber(client) as stub:
        stub.add_client_error("invoke", "TooManyRequestsException", "Rate exceeded")
        response = api.handler(
            http_event({"repository": "https://github.com/octo/demo"}), None, lambda_client=client
        )
    assert (response["statusCode"], json.loads(response["body"])) == (
        502,
        {"error": "the review could not be started"},
    )
    assert "TooManyRequestsException: Rate exceeded" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("not json", 'expected a JSON body: {"repository": URL, "reviewers": [NAME, ...]}'),
        ([1, 2], "expected a JSON object"),
        ({"repository": ""}, "repository: expected a repository URL"),
        (
            {"repository": "https://x/y z"},
            "repository: expected a URL without spaces or control characters",
        ),
        (
            {"repository": "https://x/y", "model": "bedrock:m"},
            "unknown key 'model'; expected repository and reviewers",
        ),
        (
            {"repository": "https://x/y", "reviewers": {"a": 1}},
            "reviewers: expected a list of reviewer names",
        ),
        (
            {"repository": "https://x/y", "reviewers": ["../../etc"]},
            "reviewers: '../../etc' is not a reviewer name",
        ),
        ("x" * 20_000, "the body is larger than 16384 bytes"),
    ],
)
def test_the_trigger_refuses_malformed_requests_without_starting_anything(body, error):
    response = api.handler(http_event(body), None, lambda_client=object())  # any call would fail
    assert (response["statusCode"], json.loads(response["body"])) == (400, {"error": error})


def test_the_orchestrator_installs_its_images_config_through_the_mount(tmp_path):
    from framework.cloud import lambda_orchestrator

    image_config = tmp_path / "opt" / "reviewers.yaml"
    image_config.parent.mkdir()
    image_config.write_text("version: 1\nreviewers:\n  security: {}\n")
    workspace = Workspace(tmp_path / "mnt" / "workspace")
    assert lambda_orchestrator.install_config(str(image_config), workspace) is True
    assert workspace.config_path.read_text() == image_config.read_text()
    before = workspace.config_path.stat().st_mtime_ns
    assert lambda_orchestrator.install_config(str(image_config), workspace) is False  # unchanged: not rewritten
    assert workspace.config_path.stat().st_mtime_ns == before
    image_config.write_text("version: 1\nreviewers:\n  style: {}\n")  # a new version's config
    assert lambda_orchestrator.install_config(str(image_config), workspace) is True
    assert "style" in workspace.config_path.read_text()
    assert lambda_orchestrator.install_config(None, workspace) is False  # locally: nothing to install
