"""`codepanel deploy`: assemble the image, render the template, build and push one image, `sam deploy`.

Every function runs the same image, so it is built once (``docker build``) and pushed once to one
ECR repository per stack, ``codepanel/STACK``, tagged with the digest of its build context; an
image already there under that tag is neither built nor pushed again. The template names that
image in every function (see template.yaml.j2), so `sam deploy` has no image to build or upload.

The orchestrator's reviewers.yaml travels in the image: the orchestrator installs it in the
workspace through the mount (framework/cloud/lambda_orchestrator.py), so nothing is published
to the bucket from here.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framework.cloud import aws
from framework.cloud.image import MANIFEST
from framework.config.cloud import check_stack_name, image_repository
from framework.errors import CodepanelError

SAM_INSTALL_HINT = (
    "the `sam` command (AWS SAM CLI) is not installed; install it with `pip install aws-sam-cli` "
    "or see https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/install-sam-cli.html"
)
DOCKER_INSTALL_HINT = "the `docker` command is not installed or not on PATH; the functions' image is built with it"
PLATFORMS = {"arm64": "linux/arm64", "x86_64": "linux/amd64"}
# Old images are expired from the repository, all but the most recent ones (a version's rollback target).
KEEP_IMAGES = 10
LIFECYCLE_POLICY = json.dumps({"rules": [{
    "rulePriority": 1, "description": f"keep the {KEEP_IMAGES} most recent images",
    "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": KEEP_IMAGES},
    "action": {"type": "expire"},
}]})  # fmt: skip


class DeployError(CodepanelError):
    """SAM or Docker is missing, or one of their steps failed."""


def executable(name: str, hint: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise DeployError(hint)
    return found


def deploy_command(sam: str, template: Path, target: aws.Target, guided: bool = False) -> list[str]:
    command = [
        sam, "deploy", "--template-file", str(template), "--stack-name", target.stack,
        # Nested stacks (past 60 reviewers) hold a SAM transform of their own.
        "--capabilities", "CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND", *target.common_options(),
        "--resolve-s3", "--no-fail-on-empty-changeset",
    ]  # fmt: skip
    # NOTE: no --resolve-image-repos: the template names its image in ECR already, so a repository
    # that `--guided` saved in samconfig.toml has nothing to conflict with.
    return [*command, "--guided"] if guided else command


def build_command(docker: str, context: Path, tag: str, architecture: str) -> list[str]:
    return [docker, "build", "--platform", PLATFORMS[architecture], "--tag", tag, str(context)]


def run_step(command: list[str], cwd: Path, runner: Callable[..., Any] = subprocess.run, **options: Any) -> None:
    """Run one step with the user's terminal attached; a failure is a one-line error."""
    step = f"{Path(command[0]).name} {command[1]}"
    try:
        completed = runner(command, cwd=str(cwd), check=False, **options)
    except OSError as error:
        raise DeployError(f"`{step}` could not start: {error}") from None
    if completed.returncode != 0:
        raise DeployError(f"`{step}` failed with exit status {completed.returncode} (its output is above)")


@dataclass(frozen=True)
class Repository:
    uri: str
    created: bool


def ensure_repository(ecr: Any, name: str, stack: str) -> Repository:
    """The stack's one image repository, made (scanned, expiring old images) if it is missing."""
    try:
        with aws.aws_errors(f"reading the image repository {name}"):
            found = ecr.describe_repositories(repositoryNames=[name])["repositories"][0]
        return Repository(found["repositoryUri"], False)
    except aws.AwsError as error:
        if error.code != "RepositoryNotFoundException":
            raise
    with aws.aws_errors(f"creating the image repository {name}"):
        made = ecr.create_repository(
            repositoryName=name,
            imageTagMutability="IMMUTABLE",
            imageScanningConfiguration={"scanOnPush": True},
            encryptionConfiguration={"encryptionType": "AES256"},
            tags=[{"Key": "codepanel:stack", "Value": stack}],
        )["repository"]
        ecr.put_lifecycle_policy(repositoryName=name, lifecyclePolicyText=LIFECYCLE_POLICY)
    return Repository(made["repositoryUri"], True)


def image_pushed(ecr: Any, name: str, tag: str) -> bool:
    try:
        with aws.aws_errors(f"reading the image {name}:{tag}"):
            return bool(ecr.describe_images(repositoryName=name, imageIds=[{"imageTag": tag}])["imageDetails"])
    except aws.AwsError as error:
        if error.code == "ImageNotFoundException":
            return False
        raise


def registry_login(ecr: Any) -> tuple[str, str]:
    """The registry's address and the password that `docker login --username AWS` takes."""
    with aws.aws_errors("signing in to the image registry"):
        data = ecr.get_authorization_token()["authorizationData"][0]
    user, _, password = base64.b64decode(data["authorizationToken"]).decode("utf-8").partition(":")
    if user != "AWS" or not password:
        raise DeployError("the image registry answered with an unexpected authorization token")
    return data["proxyEndpoint"], password


def check_previous_attempt(cloudformation: Any, target: aws.Target) -> None:
    """Refuse to deploy onto a stack that cannot be updated, saying how to clear it."""
    status = aws.stack_status(cloudformation, target.stack)
    if status in aws.STRANDED_STATUSES:
        raise DeployError(aws.stranded_message(target, status))
    if status is not None and status.endswith("_IN_PROGRESS"):
        raise DeployError(f"stack {target.stack!r} is {status}: wait for it to finish, then deploy again")


def deploy(
    config_path: str | None,
    stack: str | None = None,
    region: str | None = None,
    profile: str | None = None,
    guided: bool = False,
    echo: Callable[[str], None] = print,
    runner: Callable[..., Any] = subprocess.run,
    session: Any = None,
    dry_run: bool = False,
) -> aws.Stack | None:
    """Assemble the image's context, write the template, build and push the image, deploy the stack.

    ``dry_run`` stops after the context and the template, which need neither SAM, Docker nor AWS,
    and returns None. ``runner`` runs the commands and ``session`` makes the boto3 clients (tests
    pass their own).
    """
    from framework.cloud import template

    if stack:
        check_stack_name(stack)
    sam = "sam" if dry_run else executable("sam", SAM_INSTALL_HINT)
    docker = "docker" if dry_run else executable("docker", DOCKER_INSTALL_HINT)
    if not dry_run and session is None:
        from framework import config as config_module
        from framework.config.project import Project

        project = Project.find(config_path)
        project.require("deploy")
        target = aws.Target.resolve(config_module.load(project.config_file).cloud, stack, region, profile)
        session = aws.session(target.region, target.profile)
    generated = template.generate(config_path, command="deploy", stack=stack, session=None if dry_run else session)
    for warning in generated.warnings:
        echo(f"warning: {warning}")
    panel, project_dir, build = generated.panel, generated.template.parent, generated.build
    cloud = panel.config.cloud
    target = aws.Target.resolve(cloud, stack, region, profile)
    echo(f"Wrote {generated.template}")
    echo(f"Assembled the image's build context in {build.root} ({len(build.files)} files, listed in {build.root.name}/{MANIFEST})")
    repository = image_repository(target.stack)
    local_tag = f"{repository}:{build.digest}"
    build_step = build_command(docker, build.root, local_tag, cloud.architecture)
    deploy_step = deploy_command(sam, generated.template, target, guided)
    if dry_run:
        echo(f"Would run: {' '.join(build_step)}")
        echo(f"Would push it to the ECR repository {repository} (made if missing) as {local_tag}")
        echo(f"Would run in {project_dir}: {' '.join(deploy_step)}")
        return None
    cloudformation, ecr = session.client("cloudformation"), session.client("ecr")
    check_previous_attempt(cloudformation, target)
    found = ensure_repository(ecr, repository, target.stack)
    remote_tag = f"{found.uri}:{build.digest}"
    if not found.created and image_pushed(ecr, repository, build.digest):
        echo(f"The image {remote_tag} is there already: nothing to build or push")
    else:
        run_step(build_step, project_dir, runner)
        endpoint, password = registry_login(ecr)
        run_step([docker, "login", "--username", "AWS", "--password-stdin", endpoint], project_dir, runner,
                 input=password, text=True)  # fmt: skip
        run_step([docker, "tag", local_tag, remote_tag], project_dir, runner)
        run_step([docker, "push", remote_tag], project_dir, runner)
        echo(f"Pushed {remote_tag}")
    try:
        run_step(deploy_step, project_dir, runner)
    except DeployError:
        status = aws.stack_status(cloudformation, target.stack)
        if status in aws.STRANDED_STATUSES:
            raise DeployError(aws.stranded_message(target, status)) from None
        raise
    return aws.describe_stack(cloudformation, target.stack)
