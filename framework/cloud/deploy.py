"""`codepanel deploy`: assemble the image, render the template, `sam build`, `sam deploy`, publish reviewers.yaml.

The deployed orchestrator discovers the reviewers from the workspace, not from its image: the
config is published to the bucket prefix that the functions see under their mount
(``<prefix>config/reviewers.yaml`` appears as ``/mnt/workspace/config/reviewers.yaml``).
"""

from __future__ import annotations

import shutil
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from framework.cloud import aws
from framework.cloud.image import MANIFEST
from framework.config.cloud import WorkspaceSettings
from framework.errors import CodepanelError
from framework.run.workspace import Workspace

SAM_INSTALL_HINT = (
    "the `sam` command (AWS SAM CLI) is not installed; install it with `pip install aws-sam-cli` "
    "or see https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/install-sam-cli.html"
)
BUILT_TEMPLATE = ".aws-sam/build/template.yaml"
# The published config's place in the workspace layout, as a key below the bucket prefix.
CONFIG_KEY = Workspace("/").config_path.relative_to(Path("/").absolute()).as_posix()


class DeployError(CodepanelError):
    """SAM is missing or one of its steps failed."""


def sam_executable() -> str:
    found = shutil.which("sam")
    if found is None:
        raise DeployError(SAM_INSTALL_HINT)
    return found


def build_command(sam: str, template: Path, target: aws.Target) -> list[str]:
    return [sam, "build", "--template-file", str(template), *target.common_options()]


def deploy_command(sam: str, target: aws.Target, guided: bool = False) -> list[str]:
    command = [
        sam, "deploy", "--template-file", BUILT_TEMPLATE, "--stack-name", target.stack,
        "--capabilities", "CAPABILITY_IAM", *target.common_options(),
    ]  # fmt: skip
    if guided:
        # SAM asks the rest and remembers the answers in samconfig.toml.
        return [*command, "--guided"]
    return [*command, "--resolve-s3", "--resolve-image-repos", "--no-fail-on-empty-changeset"]


def run_step(command: list[str], cwd: Path, runner: Callable[..., Any] = subprocess.run) -> None:
    """Run one SAM step with the user's terminal attached; a failure is a one-line error."""
    try:
        completed = runner(command, cwd=str(cwd), check=False)
    except OSError as error:
        raise DeployError(f"`{' '.join(command[:2])}` could not start: {error}") from None
    if completed.returncode != 0:
        step = f"sam {command[1]}"
        raise DeployError(
            f"`{step}` failed with exit status {completed.returncode} (its output is above)"
        )


def posix_metadata(settings: WorkspaceSettings, kind: int, permissions: int) -> dict[str, str]:
    """The object metadata from which S3 Files takes a file's or directory's owner and mode."""
    return {
        "file-owner": str(settings.uid),
        "file-group": str(settings.gid),
        "file-permissions": f"{kind | permissions:07o}",
    }


def publish_config(s3_client: Any, stack: aws.Stack, text: str, settings: WorkspaceSettings) -> str:
    """Put reviewers.yaml where the deployed functions read it; returns its S3 location.

    NOTE: an object written through S3 rather than the mount carries no POSIX metadata, and S3
    Files then shows it, and every folder above it without a marker object, as root's (0755). On
    the first deploy no function has mounted the workspace yet, so the access point has not made
    its root folder: publishing the config would create it as root's, and the functions (which
    are not root) could not write their runs in it. So the folders get marker objects owned by
    the access point's user first, and the config file too.
    """
    directory_mode = int(settings.permissions, 8)
    objects = [
        (stack.prefix, b"", posix_metadata(settings, stat.S_IFDIR, directory_mode)),
        (
            f"{stack.prefix}{CONFIG_KEY.rsplit('/', 1)[0]}/",
            b"",
            posix_metadata(settings, stat.S_IFDIR, directory_mode),
        ),
        (
            f"{stack.prefix}{CONFIG_KEY}",
            text.encode("utf-8"),
            posix_metadata(settings, stat.S_IFREG, 0o640),
        ),
    ]
    for key, body, metadata in objects:
        with aws.aws_errors(f"publishing the reviewer config to s3://{stack.bucket}/{key}"):
            s3_client.put_object(
                Bucket=stack.bucket,
                Key=key,
                Body=body,
                Metadata=metadata,
                ContentType="application/yaml" if body else "application/x-directory",
            )
    return f"s3://{stack.bucket}/{stack.prefix}{CONFIG_KEY}"


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
    """Assemble the image's context, write the template, build and deploy, then publish the config.

    ``dry_run`` stops after the context and the template, which need neither SAM, Docker nor AWS,
    and returns None. ``runner`` runs the SAM commands and ``session`` makes the boto3 clients
    (tests pass their own).
    """
    from framework.cloud import template

    sam = None if dry_run else sam_executable()
    generated = template.generate(config_path, command="deploy")
    for warning in generated.warnings:
        echo(f"warning: {warning}")
    panel, project_dir = generated.panel, generated.template.parent
    target = aws.Target.resolve(panel.config.cloud, stack, region, profile)
    echo(f"Wrote {generated.template}")
    build = generated.build
    echo(f"Assembled the image's build context in {build.root} ({len(build.files)} files, listed in {build.root.name}/{MANIFEST})")
    commands = [build_command(sam or "sam", generated.template, target), deploy_command(sam or "sam", target, guided)]
    if dry_run:
        for command in commands:
            echo(f"Would run in {project_dir}: {' '.join(command)}")
        echo(f"Then it would publish {panel.config_path.name} to the stack's workspace.")
        return None
    for command in commands:
        run_step(command, project_dir, runner)
    session = session or aws.session(target.region, target.profile)
    deployed = aws.describe_stack(session.client("cloudformation"), target.stack)
    location = publish_config(session.client("s3"), deployed, panel.config_text, panel.config.cloud.workspace)
    echo(f"Published {panel.config_path.name} to {location}")
    return deployed
