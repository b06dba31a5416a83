"""`codepanel deploy`: the Docker and SAM commands it runs, and the ECR repository it keeps (boto3 under Stubber)."""

from __future__ import annotations

import base64
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
from framework.cloud import aws, deploy, image
from framework.errors import CodepanelError, ConfigError

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
def fake_tools(tmp_path, monkeypatch) -> Path:
    """`sam` and `docker` on PATH that record their arguments (and stdin) and exit with $FAKE_<TOOL>_STATUS."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.txt"
    for tool in ("sam", "docker"):
        script = bin_dir / tool
        script.write_text(
            "#!/bin/sh\n"
            f'printf \'{tool} %s\\n\' "$*" >> "{log}"\n'
            f'if [ "$2" = "--username" ]; then printf \'stdin %s\\n\' "$(cat)" >> "{log}"; fi\n'
            f'exit "${{FAKE_{tool.upper()}_STATUS:-0}}"\n'
        )
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return log


REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
REPOSITORY_URI = f"{REGISTRY}/codepanel/team-panel"
MISSING_STACK = ("ValidationError", "Stack with id team-panel does not exist")


def describe(status: str) -> dict:
    return {"Stacks": [{
        "StackName": "team-panel", "StackStatus": status, "CreationTime": datetime(2026, 1, 1, tzinfo=UTC),
        "Outputs": [{"OutputKey": k, "OutputValue": v} for k, v in STACK_OUTPUTS.items()],
    }]}  # fmt: skip


def stubbed_session(digest: str, first: bool = True, statuses: tuple = (MISSING_STACK, "CREATE_COMPLETE")):
    """CloudFormation and ECR as a deploy meets them: at first no stack and no repository."""
    cfn, ecr = client("cloudformation"), client("ecr")
    cfn_stub, ecr_stub = Stubber(cfn), Stubber(ecr)
    for status in statuses:
        if isinstance(status, tuple):
            cfn_stub.add_client_error("describe_stacks", status[0], status[1], expected_params={"StackName": "team-panel"})
        else:
            cfn_stub.add_response("describe_stacks", describe(status), {"StackName": "team-panel"})
    name = "codepanel/team-panel"
    repository = {"repositoryName": name, "repositoryUri": REPOSITORY_URI}
    if first:
        ecr_stub.add_client_error("describe_repositories", "RepositoryNotFoundException", "none",
                                  expected_params={"repositoryNames": [name]})  # fmt: skip
        ecr_stub.add_response("create_repository", {"repository": repository}, {
            "repositoryName": name, "imageTagMutability": "IMMUTABLE", "imageScanningConfiguration": {"scanOnPush": True},
            "encryptionConfiguration": {"encryptionType": "AES256"}, "tags": [{"Key": "codepanel:stack", "Value": "team-panel"}],
        })  # fmt: skip
        ecr_stub.add_response("put_lifecycle_policy", {}, {"repositoryName": name, "lifecyclePolicyText": deploy.LIFECYCLE_POLICY})
        token = base64.b64encode(b"AWS:s3cret-password").decode()
        ecr_stub.add_response("get_authorization_token", {"authorizationData": [
            {"authorizationToken": token, "proxyEndpoint": f"https://{REGISTRY}"}
        ]}, {})  # fmt: skip
    else:
        ecr_stub.add_response("describe_repositories", {"repositories": [repository]}, {"repositoryNames": [name]})
        ecr_stub.add_response("describe_images", {"imageDetails": [{"imageTags": [digest]}]},
                              {"repositoryName": name, "imageIds": [{"imageTag": digest}]})  # fmt: skip
    cfn_stub.activate()
    ecr_stub.activate()
    return Session(cloudformation=cfn, ecr=ecr), (cfn_stub, ecr_stub)


def context_digest(project: Path) -> str:
    """The digest of the build context that a dry run assembled in the project."""
    deploy.deploy(str(project / "reviewers.yaml"), echo=lambda _: None, dry_run=True)
    context = project / ".codepanel-image"
    return image.context_digest(context, (context / "MANIFEST.txt").read_text().split())


def test_a_first_deploy_builds_and_pushes_one_image_then_deploys(project, fake_tools):
    digest = context_digest(project)
    session, stubs = stubbed_session(digest)
    said = []
    deployed = deploy.deploy(str(project / "reviewers.yaml"), echo=said.append, session=session)
    calls = fake_tools.read_text().splitlines()
    assert calls == [
        f"docker build --platform linux/arm64 --tag codepanel/team-panel:{digest} {project / '.codepanel-image'}",
        f"docker login --username AWS --password-stdin https://{REGISTRY}",
        "stdin s3cret-password",  # never on the command line
        f"docker tag codepanel/team-panel:{digest} {REPOSITORY_URI}:{digest}",
        f"docker push {REPOSITORY_URI}:{digest}",
        (f"sam deploy --template-file {project / 'template.yaml'} --stack-name team-panel "
         "--capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --region eu-west-1 --resolve-s3 --no-fail-on-empty-changeset"),
    ]  # fmt: skip
    for stub in stubs:
        stub.assert_no_pending_responses()
    assert deployed.orchestrator_arn == STACK_OUTPUTS["OrchestratorAliasArn"]
    assert f"Pushed {REPOSITORY_URI}:{digest}" in said
    # The template deployed names that very image, in every function.
    built = parse((project / "template.yaml").read_text())
    functions = [r for r in built["Resources"].values() if r["Type"] == "AWS::Serverless::Function"]
    assert len(functions) == 3
    assert all(r["Properties"]["ImageUri"]["Fn::Sub"].endswith(f".${{AWS::URLSuffix}}/codepanel/team-panel:{digest}")
               for r in functions)  # fmt: skip


def test_an_image_already_pushed_is_neither_built_nor_pushed_again(project, fake_tools):
    session, stubs = stubbed_session(context_digest(project), first=False, statuses=("UPDATE_COMPLETE", "UPDATE_COMPLETE"))
    deploy.deploy(str(project / "reviewers.yaml"), echo=lambda _: None, session=session)
    assert [call.split()[:2] for call in fake_tools.read_text().splitlines()] == [["sam", "deploy"]]
    for stub in stubs:
        stub.assert_no_pending_responses()


@pytest.mark.parametrize("status", ["ROLLBACK_COMPLETE", "DELETE_FAILED"])
def test_a_stranded_stack_is_one_line_with_the_command_that_clears_it(project, fake_tools, status):
    session, _ = stubbed_session("x", statuses=(status,))
    with pytest.raises(deploy.DeployError) as raised:
        deploy.deploy(str(project / "reviewers.yaml"), echo=lambda _: None, session=session)
    assert str(raised.value) == (
        f"stack 'team-panel' is {status}, which CloudFormation cannot update (a failed first deploy): "
        "delete it with `aws cloudformation delete-stack --stack-name team-panel --region eu-west-1`, then deploy again"
    )
    assert not fake_tools.exists()  # nothing was built or deployed


def test_a_failed_first_deploy_prints_the_cleanup_command(project, fake_tools, monkeypatch):
    session, _ = stubbed_session(context_digest(project), statuses=(MISSING_STACK, "ROLLBACK_COMPLETE"))
    monkeypatch.setenv("FAKE_SAM_STATUS", "1")
    with pytest.raises(deploy.DeployError, match=r"^stack 'team-panel' is ROLLBACK_COMPLETE, .*`aws cloudformation delete-stack"):
        deploy.deploy(str(project / "reviewers.yaml"), echo=lambda _: None, session=session)


def test_a_stack_being_deleted_is_reported_as_such():
    cfn = client("cloudformation")
    with Stubber(cfn) as stub:
        stub.add_response("describe_stacks", describe("DELETE_IN_PROGRESS"), {"StackName": "team-panel"})
        with pytest.raises(CodepanelError) as raised:
            aws.describe_stack(cfn, "team-panel")
    assert str(raised.value) == "stack 'team-panel' is being deleted (DELETE_IN_PROGRESS): deploy it again once it is gone"


def test_a_failed_build_stops_the_deploy(project, fake_tools, monkeypatch):
    session, _ = stubbed_session(context_digest(project))
    monkeypatch.setenv("FAKE_DOCKER_STATUS", "1")
    with pytest.raises(deploy.DeployError) as raised:
        deploy.deploy(str(project / "reviewers.yaml"), echo=lambda _: None, session=session)
    assert str(raised.value) == "`docker build` failed with exit status 1 (its output is above)"
    assert len(fake_tools.read_text().splitlines()) == 1  # no push, no deploy


def test_options_override_reviewers_yaml_and_guided_mode_is_passed_through(project):
    cloud = config.load(project / "reviewers.yaml").cloud
    assert aws.Target.resolve(cloud, None, None, None) == aws.Target("team-panel", "eu-west-1", None)
    target = aws.Target.resolve(cloud, "other-stack", "us-east-2", "work")
    assert target == aws.Target("other-stack", "us-east-2", "work")
    assert deploy.deploy_command("sam", Path("t.yaml"), target, guided=True) == [
        "sam", "deploy", "--template-file", "t.yaml", "--stack-name", "other-stack",
        "--capabilities", "CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND", "--region", "us-east-2", "--profile", "work",
        "--resolve-s3", "--no-fail-on-empty-changeset", "--guided",
    ]  # fmt: skip
    assert "--resolve-image-repos" not in deploy.deploy_command("sam", Path("t.yaml"), target)
    assert deploy.build_command("docker", Path("ctx"), "t:1", "x86_64") == [
        "docker", "build", "--platform", "linux/amd64", "--tag", "t:1", "ctx",
    ]  # fmt: skip


def test_without_sam_the_error_says_how_to_install_it(project, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    from framework.cli.commands import cli

    result = CliRunner().invoke(cli, ["deploy", "--config", str(project / "reviewers.yaml")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {deploy.SAM_INSTALL_HINT}"
    assert "pip install aws-sam-cli" in deploy.SAM_INSTALL_HINT
    assert not (project / "template.yaml").exists()


def test_deploy_needs_a_project_and_never_writes_into_the_installed_package(fake_tools, monkeypatch, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    with pytest.raises(ConfigError, match=r"^`codepanel deploy` needs a panel project: no reviewers.yaml in .* run `codepanel init`"):
        deploy.deploy(None, echo=lambda _: None, session=Session())
    assert not fake_tools.exists()
    assert not (REPO / "framework" / "template.yaml").exists() and list(elsewhere.iterdir()) == []


def test_deploy_command_prints_the_stack_outputs(project, fake_tools, monkeypatch):
    session, _ = stubbed_session(context_digest(project))
    monkeypatch.setattr(aws, "session", lambda region, profile: session)
    from framework.cli.commands import cli

    result = CliRunner().invoke(cli, ["deploy", "--config", str(project / "reviewers.yaml")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-3:] == [f"{key}: {value}" for key, value in STACK_OUTPUTS.items()]
