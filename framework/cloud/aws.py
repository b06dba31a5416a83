"""Talking to AWS from the command line: one session, the deployed stack's outputs, one-line errors.

Shared by `codepanel deploy` (publishing the config) and `codepanel run` (starting and following
a review). The Lambda handlers never import this module.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from framework.config.cloud import CloudConfig, check_stack_name
from framework.errors import CodepanelError

# The stack outputs that template.yaml.j2 declares and the client reads.
OUTPUT_BUCKET = "WorkspaceBucketName"
OUTPUT_PREFIX = "WorkspacePrefix"
OUTPUT_ORCHESTRATOR = "OrchestratorAliasArn"
OUTPUT_FILE_SYSTEM = "FileSystemId"
OUTPUT_API = "ApiUrl"
REQUIRED_OUTPUTS = (OUTPUT_BUCKET, OUTPUT_PREFIX, OUTPUT_ORCHESTRATOR)
USABLE_STATUSES = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE")
# A stack whose first deploy failed: it can only be deleted (its bucket went with the rollback).
STRANDED_STATUSES = ("ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "DELETE_FAILED")


class AwsError(CodepanelError):
    """AWS refused or failed a call; the message names the call and AWS's reason, ``code`` AWS's error code."""

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.code = code


class StackNotFound(CodepanelError):
    """The stack does not exist in the region (CloudFormation says so only in words)."""


@dataclass(frozen=True)
class Stack:
    name: str
    status: str
    outputs: dict[str, str]

    @property
    def bucket(self) -> str:
        return self.outputs[OUTPUT_BUCKET]

    @property
    def prefix(self) -> str:
        return self.outputs[OUTPUT_PREFIX]

    @property
    def orchestrator_arn(self) -> str:
        return self.outputs[OUTPUT_ORCHESTRATOR]

    def location(self, key: str = "") -> str:
        return f"s3://{self.bucket}/{self.prefix}{key}"


@dataclass(frozen=True)
class Target:
    """Which stack: its name, region and profile, from the command's options or reviewers.yaml."""

    stack: str
    region: str | None
    profile: str | None

    @classmethod
    def resolve(
        cls, cloud: CloudConfig, stack: str | None, region: str | None, profile: str | None
    ) -> Target:
        return cls(
            stack=check_stack_name(stack) if stack else cloud.stack_name,
            region=region or cloud.region,
            profile=profile or cloud.profile,
        )

    def common_options(self) -> list[str]:
        options = []
        if self.region:
            options += ["--region", self.region]
        if self.profile:
            options += ["--profile", self.profile]
        return options


# Throttled calls (a new account's low quotas, many runs polled at once) back off and retry:
# botocore's adaptive mode also slows the client down to the rate AWS accepts.
RETRIES = {"mode": "adaptive", "max_attempts": 8}


def retrying_config() -> Any:
    from botocore.config import Config

    return Config(retries=dict(RETRIES))


@dataclass(frozen=True)
class Session:
    """A boto3 session whose clients back off on throttling."""

    boto: Any

    @property
    def region_name(self) -> str | None:
        return self.boto.region_name

    def client(self, service: str) -> Any:
        return self.boto.client(service, config=retrying_config())


def session(region: str | None = None, profile: str | None = None) -> Session:
    """A boto3 session; a missing profile or region is a one-line error, not a traceback."""
    import boto3
    import botocore.exceptions

    try:
        created = boto3.Session(profile_name=profile, region_name=region)
    except botocore.exceptions.ProfileNotFound:
        raise CodepanelError(
            f"AWS profile {profile!r} is not configured (see `aws configure list-profiles`)"
        ) from None
    if not created.region_name:
        raise CodepanelError(
            "no AWS region: set cloud.region in reviewers.yaml, pass --region, or set AWS_DEFAULT_REGION"
        )
    return Session(created)


@contextlib.contextmanager
def aws_errors(action: str) -> Iterator[None]:
    """Turn botocore's exceptions into one line that says what was being done."""
    import botocore.exceptions

    try:
        yield
    except botocore.exceptions.ClientError as error:
        details = error.response.get("Error", {})
        code = details.get("Code") or "Error"
        message = " ".join(str(details.get("Message") or error).split())
        raise AwsError(f"{action}: {code}: {message}", code) from None
    except botocore.exceptions.NoCredentialsError:
        raise AwsError(
            f"{action}: no AWS credentials (configure a profile or pass --profile)"
        ) from None
    except botocore.exceptions.BotoCoreError as error:
        raise AwsError(f"{action}: {' '.join(str(error).split())}") from None


def stack_status(cloudformation: Any, name: str) -> str | None:
    """The stack's status, or None when there is no such stack."""
    try:
        with aws_errors(f"reading stack {name!r}"):
            return cloudformation.describe_stacks(StackName=name)["Stacks"][0].get("StackStatus")
    except AwsError as error:
        if _missing(error):
            return None
        raise


def stranded_message(target: Target, status: str) -> str:
    """One line: why the stack cannot be deployed onto, and the one command that clears it."""
    command = " ".join(["aws cloudformation delete-stack --stack-name", target.stack, *target.common_options()])
    return (
        f"stack {target.stack!r} is {status}, which CloudFormation cannot update (a failed first deploy): "
        f"delete it with `{command}`, then deploy again"
    )


def _missing(error: AwsError) -> bool:
    # NOTE: CloudFormation has no error code of its own for a missing stack, only this message.
    return error.code == "ValidationError" and "does not exist" in str(error)


def describe_stack(cloudformation: Any, name: str) -> Stack:
    """The deployed codepanel stack ``name`` and its outputs."""
    try:
        with aws_errors(f"reading stack {name!r}"):
            response = cloudformation.describe_stacks(StackName=name)
    except AwsError as error:
        if _missing(error):
            raise StackNotFound(
                f"stack {name!r} does not exist in this region: deploy it with `codepanel deploy`"
            ) from None
        raise
    stack = response["Stacks"][0]
    status = stack.get("StackStatus", "")
    outputs = {item["OutputKey"]: item["OutputValue"] for item in stack.get("Outputs", [])}
    missing = [key for key in REQUIRED_OUTPUTS if key not in outputs]
    if status.startswith("DELETE_"):
        raise CodepanelError(f"stack {name!r} is being deleted ({status}): deploy it again once it is gone")
    if status not in USABLE_STATUSES or missing:
        what = f"lacks the outputs {', '.join(missing)}" if missing else "is not ready"
        raise CodepanelError(
            f"stack {name!r} ({status}) {what}: is it a codepanel stack, fully deployed?"
        )
    return Stack(name=name, status=status, outputs=outputs)
