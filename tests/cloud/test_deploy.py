"""`codepanel deploy`: the SAM commands it runs, and the config it publishes (boto3 under Stubber)."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber
from click.testing import CliRunner
from cloud_helpers import REPO, parse

from framework import config
from framework.cloud import aws, deploy
from framework.config.cloud import WorkspaceSettings
from framework.errors import ConfigError
from framework.run.workspace import Workspace

STACK_OUTPUTS = {
    "WorkspaceBucketName": "codepanel-workspacebucket-1abcdefghij",
    "WorkspacePrefix": "codepanel/",
    "OrchestratorAliasArn": "arn:aws:lambda:eu-west-1:123456789012:function:team-panel-orchestrator:live",
}


def client(service: str):
    return boto3.client(
        service, region_name="eu-west-1", aws_access_key_id="t", aws_secret_access_key="t"
    )


class Session:
    def __init__(self, **clients):
        self.clients = clients

    def client(self, service: str):
        return self.clients[service]


@pytest.fixture
def project(tmp_path) -> Path:
    """A panel project: the checkout's reviewers.yaml with a cloud section."""
    root = tmp_path / "project"
    root.mkdir()
    text = (REPO / "reviewers.yaml").read_text()
    (root / "reviewers.yaml").write_text(
        text + "\ncloud:\n  stack_name: team-panel\n  region: eu-west-1\n"
    )
    return root


@pytest.fixture
def fake_sam(tmp_path, monkeypatch) -> Path:
    """A `sam` executable on PATH that records its arguments and exits with $FAKE_SAM_STATUS."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "sam-calls.jsonl"
    script = bin_dir / "sam"
    script.write_text(
        "#!/bin/sh\n"
        f'printf \'%s\\n\' "$*" >> "{log}"\n'
        'if [ "$1" = "build" ] && [ ! -f "$3" ]; then echo "no template $3" >&2; exit 9; fi\n'
        'exit "${FAKE_SAM_STATUS:-0}"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return log


def stubbed_session(config_text: str):
    cfn, s3 = client("cloudformation"), client("s3")
    cfn_stub, s3_stub = Stubber(cfn), Stubber(s3)
    cfn_stub.add_response("describe_stacks", {"Stacks": [{
        "StackName": "team-panel", "StackStatus": "UPDATE_COMPLETE",
        "CreationTime": datetime(2026, 1, 1, tzinfo=UTC),
        "Outputs": [{"OutputKey": k, "OutputValue": v} for k, v in STACK_OUTPUTS.items()],
    }]}, {"StackName": "team-panel"})  # fmt: skip
    bucket = STACK_OUTPUTS["WorkspaceBucketName"]
    owner = {"file-owner": "1000", "file-group": "1000"}
    # The folders first, owned by the access point's user, then the file: see publish_config.
    for key, mode in (("codepanel/", "0040750"), ("codepanel/config/", "0040750")):
        s3_stub.add_response("put_object", {"ETag": '"d"'}, {
            "Bucket": bucket, "Key": key, "Body": b"", "ContentType": "application/x-directory",
            "Metadata": {**owner, "file-permissions": mode},
        })  # fmt: skip
    s3_stub.add_response("put_object", {"ETag": '"abc"'}, {
        "Bucket": bucket, "Key": "codepanel/config/reviewers.yaml", "Body": config_text.encode(),
        "ContentType": "application/yaml", "Metadata": {**owner, "file-permissions": "0100640"},
    })  # fmt: skip
    cfn_stub.activate()
    s3_stub.activate()
    return Session(cloudformation=cfn, s3=s3), (cfn_stub, s3_stub)


def test_the_config_key_is_the_workspace_layouts():
    root = Path("/mnt/workspace")
    assert (
        deploy.CONFIG_KEY
        == Workspace(root).config_path.relative_to(root).as_posix()
        == "config/reviewers.yaml"
    )


def test_deploy_builds_deploys_then_publishes_the_config(project, fake_sam):
    config_text = (project / "reviewers.yaml").read_text()
    session, stubs = stubbed_session(config_text)
    said = []
    deployed = deploy.deploy(str(project / "reviewers.yaml"), echo=said.append, session=session)
    calls = fake_sam.read_text().splitlines()
    assert calls == [
        f"build --template-file {project / 'template.yaml'} --region eu-west-1",
        ("deploy --template-file .aws-sam/build/template.yaml --stack-name team-panel --capabilities CAPABILITY_IAM "
        "--region eu-west-1 --resolve-s3 --resolve-image-repos --no-fail-on-empty-changeset"),
    ]
    for stub in stubs:
        stub.assert_no_pending_responses()
    assert deployed.orchestrator_arn == STACK_OUTPUTS["OrchestratorAliasArn"]
    assert (
        said[-1]
        == f"Published reviewers.yaml to s3://{STACK_OUTPUTS['WorkspaceBucketName']}/codepanel/config/reviewers.yaml"
    )
    # The template that was built is the one rendered from this reviewers.yaml, its image from the
    # context assembled in the project.
    built = parse((project / "template.yaml").read_text())
    assert built["Resources"]["OrchestratorFunction"]["Metadata"]["DockerContext"] == ".codepanel-image"
    assert (project / ".codepanel-image" / "Dockerfile").is_file()
    assert {"ReviewerSecurityFunction", "ReviewerStyleFunction"} <= set(built["Resources"])


def test_options_override_reviewers_yaml_and_guided_mode_is_passed_through(project):
    cloud = config.load(project / "reviewers.yaml").cloud
    assert aws.Target.resolve(cloud, None, None, None) == aws.Target(
        "team-panel", "eu-west-1", None
    )
    target = aws.Target.resolve(cloud, "other-stack", "us-east-2", "work")
    assert target == aws.Target("other-stack", "us-east-2", "work")
    assert deploy.deploy_command("sam", target, guided=True) == [
        "sam", "deploy", "--template-file", ".aws-sam/build/template.yaml", "--stack-name", "other-stack",
        "--capabilities", "CAPABILITY_IAM", "--region", "us-east-2", "--profile", "work", "--guided",
    ]  # fmt: skip
    assert deploy.build_command("sam", Path("t.yaml"), target)[-4:] == [
        "--region",
        "us-east-2",
        "--profile",
        "work",
    ]


def test_without_sam_the_error_says_how_to_install_it(project, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    from framework.cli.commands import cli

    result = CliRunner().invoke(cli, ["deploy", "--config", str(project / "reviewers.yaml")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {deploy.SAM_INSTALL_HINT}"
    assert "pip install aws-sam-cli" in deploy.SAM_INSTALL_HINT
    assert not (project / "template.yaml").exists()


def test_a_failed_sam_step_stops_the_deploy_before_publishing(project, fake_sam, monkeypatch):
    monkeypatch.setenv("FAKE_SAM_STATUS", "1")
    with pytest.raises(deploy.DeployError) as raised:
        deploy.deploy(str(project / "reviewers.yaml"), echo=lambda _: None, session=Session())
    assert str(raised.value) == "`sam build` failed with exit status 1 (its output is above)"
    assert len(fake_sam.read_text().splitlines()) == 1  # no deploy after a failed build


def test_deploy_needs_a_project_and_never_writes_into_the_installed_package(fake_sam, monkeypatch, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    with pytest.raises(ConfigError, match=r"^`codepanel deploy` needs a panel project: no reviewers.yaml in .* run `codepanel init`"):
        deploy.deploy(None, echo=lambda _: None, session=Session())
    assert not fake_sam.exists()
    assert not (REPO / "framework" / "template.yaml").exists() and list(elsewhere.iterdir()) == []


def test_a_refused_publish_is_one_line():
    s3 = client("s3")
    stack = aws.Stack("team-panel", "CREATE_COMPLETE", dict(STACK_OUTPUTS))
    with Stubber(s3) as stub:
        stub.add_client_error("put_object", "AccessDenied", "Access Denied")
        with pytest.raises(aws.AwsError) as raised:
            deploy.publish_config(s3, stack, "version: 1\n", WorkspaceSettings())
    assert str(raised.value) == (
        f"publishing the reviewer config to s3://{STACK_OUTPUTS['WorkspaceBucketName']}/"
        "codepanel/: AccessDenied: Access Denied"
    )


def test_the_published_objects_carry_the_access_points_owner_and_mode():
    settings = WorkspaceSettings(uid=2000, gid=2001, permissions="0770")
    assert deploy.posix_metadata(settings, stat.S_IFDIR, 0o770) == {
        "file-owner": "2000", "file-group": "2001", "file-permissions": "0040770",
    }  # fmt: skip
    assert deploy.posix_metadata(settings, stat.S_IFREG, 0o640)["file-permissions"] == "0100640"


def test_deploy_command_prints_the_stack_outputs(project, fake_sam, monkeypatch):
    session, _ = stubbed_session((project / "reviewers.yaml").read_text())
    monkeypatch.setattr(aws, "session", lambda region, profile: session)
    from framework.cli.commands import cli

    result = CliRunner().invoke(cli, ["deploy", "--config", str(project / "reviewers.yaml")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-3:] == [f"{key}: {value}" for key, value in STACK_OUTPUTS.items()]
