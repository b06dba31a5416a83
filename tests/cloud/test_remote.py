"""`codepanel run`: the boto3 calls that start, follow and read a remote review, under botocore's Stubber."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import ANY, Stubber
from click.testing import CliRunner

from framework.cloud import aws, remote
from framework.errors import CodepanelError, UnknownReviewerError
from framework.run.workspace import RUN_ID_PATTERN

REGION = "us-east-1"
ALIAS_ARN = "arn:aws:lambda:us-east-1:123456789012:function:codepanel-orchestrator:live"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:codepanel-orchestrator"
RUN_ID = "20260101T120000Z-0a1b2c3d"
EXECUTION_ARN = f"{FUNCTION_ARN}:3/durable-execution/{RUN_ID}/5f0c3e2a-1111-2222-3333-444455556666"
BUCKET = "codepanel-workspacebucket-1abcdefghij"
STACK_OUTPUTS = {
    "WorkspaceBucketName": BUCKET,
    "WorkspacePrefix": "codepanel/",
    "OrchestratorAliasArn": ALIAS_ARN,
    "FileSystemId": "fs-0123456789abcdef0",
}
SUMMARY = {
    "run_id": RUN_ID, "repository": "https://github.com/octo/demo", "status": "ok",
    "files_reviewed": 12, "files_skipped": 1,
    "reviewers": {"security": {"status": "ok", "findings": 1, "duration": 2.5}},
    "counts": {"total": 1, "by_severity": {"critical": 0, "high": 1, "medium": 0, "low": 0, "info": 0},
               "by_reviewer": {"security": 1}, "rejected": 0},
}  # fmt: skip
FINDINGS = [{
    "rule_id": "command-injection", "message": "os.system() with a non-constant command",
    "file": "app/views.py", "line": 5, "severity": "high", "confidence": "medium", "cwe": 78,
    "reviewer": "security",
}]  # fmt: skip
STARTED = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def client(service: str):
    return boto3.client(
        service, region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test"
    )


class Session:
    """Hands out the stubbed clients that a test prepared, as boto3.Session.client would."""

    def __init__(self, **clients):
        self.clients = clients

    def client(self, service: str):
        return self.clients[service]


def execution(status: str, **extra) -> dict:
    return {
        "DurableExecutionArn": EXECUTION_ARN, "DurableExecutionName": RUN_ID, "FunctionArn": FUNCTION_ARN,
        "Status": status, "StartTimestamp": STARTED, **extra,
    }  # fmt: skip


def body(data) -> StreamingBody:
    raw = json.dumps(data).encode()
    return StreamingBody(io.BytesIO(raw), len(raw))


def stack() -> aws.Stack:
    return aws.Stack("codepanel", "CREATE_COMPLETE", dict(STACK_OUTPUTS))


def test_start_invokes_the_alias_asynchronously_with_the_run_id_known_beforehand():
    lam = client("lambda")
    with Stubber(lam) as stub:
        stub.add_response(
            "invoke",
            {"StatusCode": 202, "DurableExecutionArn": EXECUTION_ARN},
            {
                "FunctionName": ALIAS_ARN,
                "InvocationType": "Event",
                "Payload": ANY,
                "DurableExecutionName": RUN_ID,
            },
        )
        started = remote.start_review(
            lam, ALIAS_ARN, "https://github.com/octo/demo", ["security"], run_id=RUN_ID
        )
    assert started == remote.Started(RUN_ID, EXECUTION_ARN)


def test_the_event_carries_the_run_id_and_no_workspace():
    event = remote.request_event("https://github.com/octo/demo", ["security", "style"], RUN_ID)
    assert {key: event[key] for key in ("repository", "reviewers", "run_id")} == {
        "repository": "https://github.com/octo/demo", "reviewers": ["security", "style"], "run_id": RUN_ID,
    }  # fmt: skip
    assert "workspace" not in event and isinstance(event["started"], float)
    assert remote.request_event("u", None, RUN_ID)["reviewers"] is None


def test_a_new_run_id_is_made_when_none_is_given():
    lam = client("lambda")
    with Stubber(lam) as stub:
        stub.add_response("invoke", {"StatusCode": 202}, None)
        started = remote.start_review(lam, ALIAS_ARN, "https://github.com/octo/demo")
    assert RUN_ID_PATTERN.match(started.run_id) and started.execution_arn is None


def test_an_unqualified_arn_is_refused_before_any_call():
    with pytest.raises(CodepanelError, match="not a qualified function ARN"):
        remote.start_review(client("lambda"), FUNCTION_ARN, "https://github.com/octo/demo")


def test_a_refused_start_is_one_line_naming_the_call():
    lam = client("lambda")
    with Stubber(lam) as stub:
        stub.add_client_error(
            "invoke",
            "AccessDeniedException",
            "User is not authorized to perform lambda:InvokeFunction",
        )
        with pytest.raises(aws.AwsError) as raised:
            remote.start_review(lam, ALIAS_ARN, "https://github.com/octo/demo", run_id=RUN_ID)
    assert str(raised.value) == (
        "starting the orchestrator: AccessDeniedException: User is not authorized to perform lambda:InvokeFunction"
    )


def test_wait_finds_the_execution_by_name_then_polls_it_to_its_end():
    lam = client("lambda")
    sleeps = []
    with Stubber(lam) as stub:
        # Not listed yet: the asynchronous invocation is still queued.
        stub.add_response(
            "list_durable_executions_by_function", {"DurableExecutions": []},
            {"FunctionName": FUNCTION_ARN.rsplit(":", 1)[-1], "DurableExecutionName": RUN_ID},
        )  # fmt: skip
        stub.add_response(
            "list_durable_executions_by_function",
            {"DurableExecutions": [execution("RUNNING")]},
            {"FunctionName": FUNCTION_ARN.rsplit(":", 1)[-1], "DurableExecutionName": RUN_ID},
        )
        stub.add_response(
            "get_durable_execution",
            execution("RUNNING"),
            {"DurableExecutionArn": EXECUTION_ARN, "IncludeExecutionData": False},
        )
        stub.add_response(
            "get_durable_execution",
            execution("SUCCEEDED"),
            {"DurableExecutionArn": EXECUTION_ARN, "IncludeExecutionData": False},
        )
        stub.add_response(
            "get_durable_execution",
            execution("SUCCEEDED", Result=json.dumps(SUMMARY)),
            {"DurableExecutionArn": EXECUTION_ARN, "IncludeExecutionData": True},
        )
        done = remote.wait_for_execution(
            lam, ALIAS_ARN, remote.Started(RUN_ID, None), poll_interval=7, sleep=sleeps.append
        )
    assert done["Status"] == "SUCCEEDED" and json.loads(done["Result"]) == SUMMARY
    assert sleeps == [7, 7]


def _finished(status: str, **extra):
    lam = client("lambda")
    stub = Stubber(lam)
    stub.add_response("get_durable_execution", execution(status), None)
    stub.add_response("get_durable_execution", execution(status, **extra), None)
    stub.activate()
    return lam, stub


def test_a_failed_execution_says_why():
    lam, stub = _finished(
        "FAILED",
        Error={"ErrorType": "CodepanelError", "ErrorMessage": "run 2026 has\n already finished"},
    )
    done = remote.wait_for_execution(
        lam, ALIAS_ARN, remote.Started(RUN_ID, EXECUTION_ARN), sleep=pytest.fail
    )
    stub.assert_no_pending_responses()
    with pytest.raises(remote.RunFailed) as raised:
        remote.check_outcome(done, RUN_ID, "s3://b/codepanel/runs/x/")
    assert (
        str(raised.value) == f"run {RUN_ID} failed: CodepanelError: run 2026 has already finished"
    )
    assert raised.value.exit_code == 3


def test_a_timed_out_execution_points_at_the_partial_results():
    lam, _ = _finished("TIMED_OUT")
    done = remote.wait_for_execution(
        lam, ALIAS_ARN, remote.Started(RUN_ID, EXECUTION_ARN), sleep=pytest.fail
    )
    with pytest.raises(remote.RunFailed) as raised:
        remote.check_outcome(done, RUN_ID, f"s3://{BUCKET}/codepanel/runs/{RUN_ID}/")
    assert str(raised.value) == (
        f"run {RUN_ID} timed out: the orchestrator's execution timeout passed before it finished "
        f"(cloud.orchestrator.execution_timeout); partial results may be in s3://{BUCKET}/codepanel/runs/{RUN_ID}/"
    )


def test_a_stopped_execution_is_reported():
    with pytest.raises(remote.RunFailed, match=f"^run {RUN_ID} was stopped before it finished$"):
        remote.check_outcome(execution("STOPPED"), RUN_ID, "s3://b/")


def test_waiting_gives_up_at_the_timeout_and_says_the_run_goes_on():
    lam = client("lambda")
    now = [0.0]
    with Stubber(lam) as stub:
        for _ in range(3):
            stub.add_response("get_durable_execution", execution("RUNNING"), None)
        with pytest.raises(remote.RunFailed) as raised:
            remote.wait_for_execution(
                lam, ALIAS_ARN, remote.Started(RUN_ID, EXECUTION_ARN), timeout=10, poll_interval=5,
                sleep=lambda seconds: now.__setitem__(0, now[0] + seconds), clock=lambda: now[0],
            )  # fmt: skip
    assert str(raised.value) == (
        f"run {RUN_ID} is still running after 10 s of waiting; it goes on in the cloud "
        f"(durable execution {EXECUTION_ARN})"
    )


def test_results_come_from_the_bucket_and_wait_for_the_sync():
    s3 = client("s3")
    sleeps = []
    key = f"codepanel/runs/{RUN_ID}/findings.json"
    with Stubber(s3) as stub:
        stub.add_client_error(
            "get_object",
            "NoSuchKey",
            "The specified key does not exist.",
            expected_params={"Bucket": BUCKET, "Key": key},
        )
        stub.add_response("get_object", {"Body": body(FINDINGS)}, {"Bucket": BUCKET, "Key": key})
        summary, findings = remote.read_results(
            s3, stack(), RUN_ID, SUMMARY, sleep=sleeps.append, poll_interval=3
        )
    assert summary == SUMMARY and sleeps == [3]
    assert [(f.rule_id, f.file, f.line, f.severity, f.cwe) for f in findings] == [
        ("command-injection", "app/views.py", 5, "high", 78)
    ]


def test_the_summary_is_read_from_the_bucket_when_the_execution_returned_none():
    s3 = client("s3")
    with Stubber(s3) as stub:
        stub.add_response(
            "get_object",
            {"Body": body(SUMMARY)},
            {"Bucket": BUCKET, "Key": f"codepanel/runs/{RUN_ID}/summary.json"},
        )
        stub.add_response("get_object", {"Body": body([])}, None)
        summary, findings = remote.read_results(s3, stack(), RUN_ID, None, sleep=pytest.fail)
    assert summary.status == "ok" and findings == []


def test_a_missing_results_file_is_an_error_after_the_grace_period():
    s3 = client("s3")
    now = [0.0]
    with Stubber(s3) as stub:
        for _ in range(3):
            stub.add_client_error("get_object", "NoSuchKey", "The specified key does not exist.")
        with pytest.raises(aws.AwsError, match=r"^reading s3://.*/findings.json: NoSuchKey: "):
            remote.read_json_object(
                s3, BUCKET, f"codepanel/runs/{RUN_ID}/findings.json", grace=10, poll_interval=5,
                sleep=lambda seconds: now.__setitem__(0, now[0] + seconds), clock=lambda: now[0],
            )  # fmt: skip


def _stack_response(status="CREATE_COMPLETE", outputs=STACK_OUTPUTS):
    return {"Stacks": [{
        "StackName": "codepanel", "StackStatus": status, "CreationTime": STARTED,
        "Outputs": [{"OutputKey": key, "OutputValue": value} for key, value in outputs.items()],
    }]}  # fmt: skip


def test_the_stack_outputs_are_read_with_describe_stacks():
    cfn = client("cloudformation")
    with Stubber(cfn) as stub:
        stub.add_response("describe_stacks", _stack_response(), {"StackName": "codepanel"})
        found = aws.describe_stack(cfn, "codepanel")
    assert (found.bucket, found.prefix, found.orchestrator_arn) == (BUCKET, "codepanel/", ALIAS_ARN)
    assert found.location("runs/x/") == f"s3://{BUCKET}/codepanel/runs/x/"


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (None, "stack 'codepanel' does not exist in this region: deploy it with `codepanel deploy`"),
        (_stack_response("ROLLBACK_COMPLETE"),
         "stack 'codepanel' (ROLLBACK_COMPLETE) is not ready: is it a codepanel stack, fully deployed?"),
        (_stack_response(outputs={"Other": "x"}),
         ("stack 'codepanel' (CREATE_COMPLETE) lacks the outputs WorkspaceBucketName, WorkspacePrefix, "
         "OrchestratorAliasArn: is it a codepanel stack, fully deployed?")),
    ],
)  # fmt: skip
def test_a_missing_or_unfit_stack_is_one_line(response, message):
    cfn = client("cloudformation")
    with Stubber(cfn) as stub:
        if response is None:
            stub.add_client_error(
                "describe_stacks", "ValidationError", "Stack with id codepanel does not exist"
            )
        else:
            stub.add_response("describe_stacks", response)
        with pytest.raises(CodepanelError) as raised:
            aws.describe_stack(cfn, "codepanel")
    assert str(raised.value) == message


def test_reviewer_names_are_checked_before_any_aws_call(tmp_path):
    config_file = tmp_path / "reviewers.yaml"
    config_file.write_text("reviewers:\n  security: {}\n  style:\n    enabled: false\n")
    session = Session()  # no client at all: a call would fail with KeyError
    with pytest.raises(
        UnknownReviewerError, match="unknown reviewer 'nope'; reviewers that exist: security, style"
    ):
        remote.RemoteReview.open(str(config_file), ["nope"], session=session)
    with pytest.raises(
        CodepanelError,
        match="^reviewer 'style' is disabled in reviewers.yaml, so the stack has no function",
    ):
        remote.RemoteReview.open(str(config_file), ["style"], session=session)


def test_the_stack_name_comes_from_reviewers_yaml_unless_given(tmp_path):
    config_file = tmp_path / "reviewers.yaml"
    config_file.write_text("reviewers:\n  security: {}\ncloud:\n  stack_name: team-panel\n")
    cfn = client("cloudformation")
    with Stubber(cfn) as stub:
        stub.add_response("describe_stacks", _stack_response(), {"StackName": "team-panel"})
        stub.add_response("describe_stacks", _stack_response(), {"StackName": "other"})
        session = Session(cloudformation=cfn, **{"lambda": client("lambda")}, s3=client("s3"))
        assert remote.RemoteReview.open(str(config_file), session=session).stack.bucket == BUCKET
        remote.RemoteReview.open(str(config_file), stack="other", session=session)
    with pytest.raises(CodepanelError, match="^--stack: expected a letter"):
        remote.RemoteReview.open(str(config_file), stack="9lives", session=session)


def _cli_session(final_status="SUCCEEDED", **final):
    cfn, lam, s3 = client("cloudformation"), client("lambda"), client("s3")
    stubs = [Stubber(cfn), Stubber(lam), Stubber(s3)]
    stubs[0].add_response("describe_stacks", _stack_response())
    stubs[1].add_response("invoke", {"StatusCode": 202, "DurableExecutionArn": EXECUTION_ARN}, None)
    stubs[1].add_response("get_durable_execution", execution(final_status), None)
    stubs[1].add_response("get_durable_execution", execution(final_status, **final), None)
    stubs[2].add_response("get_object", {"Body": body(FINDINGS)}, None)
    for stub in stubs:
        stub.activate()
    return Session(cloudformation=cfn, s3=s3, **{"lambda": lam}), stubs


def test_run_command_prints_the_run_id_then_the_same_summary_as_a_local_review(monkeypatch):
    session, stubs = _cli_session(Result=json.dumps(SUMMARY))
    monkeypatch.setattr(aws, "session", lambda region, profile: session)
    monkeypatch.setattr(remote, "new_run_id", lambda: RUN_ID)
    from framework.cli.commands import cli

    args = [
        "run",
        "https://github.com/octo/demo",
        "-r",
        "security",
        "--wait",
        "--region",
        REGION,
        "--fail-on",
        "high",
    ]
    result = CliRunner().invoke(cli, args, env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output  # a high finding and --fail-on high
    lines = result.stdout.splitlines()
    assert lines[0] == RUN_ID
    # The same digest as a local review: the rule with its CWE, where it is first found.
    assert "security/command-injection CWE-78" in result.stdout and "app/views.py:5" in result.stdout
    assert "exit 1: 1 findings at or above high (--fail-on high): security/command-injection at app/views.py:5" in result.stderr
    assert f"Run {RUN_ID}: ok" in result.stdout
    assert "12 files reviewed, 1 skipped; findings: 1 high" in result.stdout
    for stub in stubs:
        stub.assert_no_pending_responses()


def test_run_command_without_wait_only_starts(monkeypatch):
    cfn, lam = client("cloudformation"), client("lambda")
    with Stubber(cfn) as cfn_stub, Stubber(lam) as lam_stub:
        cfn_stub.add_response("describe_stacks", _stack_response())
        lam_stub.add_response("invoke", {"StatusCode": 202}, None)
        monkeypatch.setattr(
            aws,
            "session",
            lambda region, profile: Session(cloudformation=cfn, s3=None, **{"lambda": lam}),
        )
        from framework.cli.commands import cli

        result = CliRunner().invoke(cli, ["run", "https://github.com/octo/demo"])
    assert result.exit_code == 0, result.output
    assert RUN_ID_PATTERN.match(result.stdout.strip())


def test_run_command_reports_a_timed_out_execution_in_one_line(monkeypatch):
    session, _ = _cli_session("TIMED_OUT")
    monkeypatch.setattr(aws, "session", lambda region, profile: session)
    from framework.cli.commands import cli

    result = CliRunner().invoke(cli, ["run", "https://github.com/octo/demo", "--wait"])
    assert result.exit_code == 3
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "timed out: the orchestrator's execution timeout passed before it finished" in error


def test_clients_back_off_and_retry_when_throttled(monkeypatch):
    from framework.cloud import aws

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "t")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "t")
    client = aws.session("eu-west-1").client("lambda")
    assert client.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 9}  # botocore counts the first call too
    assert client.meta.region_name == "eu-west-1"
