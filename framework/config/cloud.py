"""The ``cloud:`` section of reviewers.yaml: where and how `codepanel generate` and `deploy` build the stack.

Validated with the rest of the file by ``framework.config``, so an error reads like any other
("cloud.network.subnet_ids: required when vpc is 'existing'"). Every key has a default; an empty
``cloud:`` section deploys a new VPC in the profile's region under the stack name ``codepanel``.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from framework.cloud.names import ORCHESTRATOR_SUFFIX

# Lambda's limit on one invocation, which is also a reviewer's timeout on AWS.
LAMBDA_MAX_TIMEOUT = 900
# Reviewers running at once on AWS: leaves room under the 10 concurrent executions of a new account.
DEFAULT_MAX_CONCURRENCY = 8
# A function name holds at most 64 characters; the orchestrator's is the stack name plus a suffix.
STACK_NAME_MAX = 64 - len(ORCHESTRATOR_SUFFIX)
STACK_NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9-]*$"
REGION_PATTERN = r"^[a-z]{2}(-[a-z]+)+-\d$"


def matching(pattern: str, expected: str) -> AfterValidator:
    """A check whose error says what was expected in words rather than as a regular expression."""

    def check(value: str) -> str:
        if not re.match(pattern, value):
            raise ValueError(f"expected {expected}, got {value!r}")
        return value

    return AfterValidator(check)


Uid = Annotated[int, Field(ge=0, le=4_294_967_295, strict=True)]
SubnetId = Annotated[
    str, matching(r"^subnet-[0-9a-f]{8,40}$", "a subnet id such as subnet-0123456789abcdef0")
]
GroupId = Annotated[
    str, matching(r"^sg-[0-9a-f]{8,40}$", "a security group id such as sg-0123456789abcdef0")
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Network(_Strict):
    """A new VPC made by the stack, or the subnets and security groups of an existing one."""

    vpc: Literal["new", "existing"] = "new"
    cidr: str = "10.42.0.0/16"
    subnet_ids: list[SubnetId] = Field(default_factory=list)
    security_group_ids: list[GroupId] = Field(default_factory=list)
    # Attached to the mount targets; they must admit NFS (TCP 2049) from security_group_ids.
    mount_target_security_group_ids: list[GroupId] = Field(default_factory=list)
    # New VPC only: a NAT gateway in each of the two zones, one for both, or none (interface
    # endpoints for the AWS APIs instead, and no internet: see docs/deploy.md).
    nat: Literal["single", "per_zone", "none"] | None = None

    @field_validator("cidr")
    @classmethod
    def _cidr(cls, value: str) -> str:
        try:
            network = ipaddress.IPv4Network(value)
        except ValueError:
            raise ValueError(
                f"expected an IPv4 CIDR block such as 10.42.0.0/16, got {value!r}"
            ) from None
        if not 16 <= network.prefixlen <= 24:
            raise ValueError(
                f"expected a block from /16 to /24 (it is cut into four subnets), got {value!r}"
            )
        return value

    @model_validator(mode="after")
    def _mode(self) -> Network:
        if self.vpc == "existing":
            if not self.subnet_ids:
                raise ValueError(
                    "subnet_ids are required when vpc is 'existing' (one subnet per zone)"
                )
            if not self.security_group_ids:
                raise ValueError("security_group_ids are required when vpc is 'existing'")
            if len(set(self.subnet_ids)) != len(self.subnet_ids):
                raise ValueError("subnet_ids lists a subnet twice")
            if self.nat is not None:
                raise ValueError("nat applies only when vpc is 'new'; an existing VPC has its own egress")
        elif self.subnet_ids or self.security_group_ids or self.mount_target_security_group_ids:
            raise ValueError(
                "subnet_ids and security group ids apply only when vpc is 'existing'; "
                "with vpc 'new' the stack makes its own"
            )
        return self

    @property
    def existing(self) -> bool:
        return self.vpc == "existing"

    @property
    def nat_mode(self) -> str:
        return self.nat or "single"

    def mount_target_groups(self) -> list[str]:
        return self.mount_target_security_group_ids or self.security_group_ids


class WorkspaceSettings(_Strict):
    """The S3 Files workspace: where functions mount it, and the POSIX identity they use in it."""

    mount_path: Annotated[
        str,
        matching(r"^/mnt/[a-zA-Z0-9_.-]+$", "a folder directly under /mnt, such as /mnt/workspace"),
    ] = "/mnt/workspace"
    # The access point's root directory on the file system; also the bucket prefix of the files.
    root_directory: Annotated[
        str,
        matching(
            r"^(/[a-zA-Z0-9_.-]+){1,4}$",
            "an absolute path of one to four folders, such as /codepanel",
        ),
    ] = "/codepanel"
    uid: Uid = 1000
    gid: Uid = 1000
    permissions: Annotated[
        str, matching(r"^[0-7]{3,4}$", "octal mode bits as a string, such as '750'")
    ] = "750"
    # Days after which a run's files expire from the bucket; 0 keeps them.
    expire_runs_after_days: Annotated[int, Field(ge=0, strict=True)] = 30
    noncurrent_versions_days: Annotated[int, Field(ge=1, strict=True)] = 7
    # Days after which the analyzer cache's entries expire from the bucket; 0 keeps them.
    expire_cache_after_days: Annotated[int, Field(ge=0, strict=True)] = 14

    @field_validator("root_directory")
    @classmethod
    def _no_dot_segments(cls, value: str) -> str:
        if any(part in (".", "..") or part.startswith(".") for part in value.split("/")[1:]):
            raise ValueError(f"expected a path without hidden or dot segments, got {value!r}")
        return value

    @property
    def bucket_prefix(self) -> str:
        """The S3 key prefix under which the mounted files appear: ``codepanel/``."""
        return self.root_directory.strip("/") + "/"


class Orchestrator(_Strict):
    timeout: Annotated[int, Field(ge=30, le=LAMBDA_MAX_TIMEOUT, strict=True)] = LAMBDA_MAX_TIMEOUT
    memory: Annotated[int, Field(ge=512, le=10_240, strict=True)] = 2048
    # /tmp holds the shallow clone before it is copied into the workspace.
    ephemeral_storage: Annotated[int, Field(ge=512, le=10_240, strict=True)] = 2048
    # The whole durable execution: fetching, every reviewer, aggregating (DurableConfig).
    execution_timeout: Annotated[int, Field(ge=60, le=31_622_400, strict=True)] = 3600
    retention_days: Annotated[int, Field(ge=1, le=90, strict=True)] = 14


class Api(_Strict):
    """The optional HTTP trigger: POST /review, signed with AWS credentials (IAM authorisation)."""

    enabled: bool = False


SecretId = Annotated[
    str,
    matching(
        r"^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+|[A-Za-z0-9/_+=.@-]{1,512})$",
        "a Secrets Manager secret name or ARN",
    ),
]
# The providers whose API key a secret holds, and the variable each provider reads it from.
SECRET_PROVIDERS = {"anthropic": "ANTHROPIC_API_KEY", "openai": "OPENAI_API_KEY"}


class Alarms(_Strict):
    """Optional CloudWatch alarms: failed orchestrator invocations and throttled functions."""

    enabled: bool = False
    # Subscribed to the alarms' SNS topic (it confirms by mail); without it, subscribe yourself.
    email: Annotated[str, matching(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", "an email address")] | None = None


class CloudConfig(_Strict):
    region: Annotated[str, matching(REGION_PATTERN, "an AWS region such as us-east-1")] | None = (
        None
    )
    stack_name: Annotated[str, AfterValidator(lambda name: check_stack_name(name, ValueError))] = (
        "codepanel"
    )
    profile: str | None = None
    architecture: Literal["arm64", "x86_64"] = "arm64"
    # At most this many reviewers run at once (the durable map's max_concurrency).
    max_concurrency: Annotated[int, Field(ge=1, le=1000, strict=True)] = DEFAULT_MAX_CONCURRENCY
    log_retention_days: Literal[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365] = 30
    # A folder of plugin modules inside the project, copied into the image (besides reviewers/).
    plugins_dir: (
        Annotated[
            str, matching(r"^[A-Za-z0-9_][A-Za-z0-9_./-]*$", "a relative folder inside the project")
        ]
        | None
    ) = None
    network: Network = Field(default_factory=Network)
    workspace: WorkspaceSettings = Field(default_factory=WorkspaceSettings)
    orchestrator: Orchestrator = Field(default_factory=Orchestrator)
    api: Api = Field(default_factory=Api)
    # provider -> the Secrets Manager secret (name or ARN) holding its API key, readable only by
    # the functions whose model is that provider's.
    secrets: dict[Literal["anthropic", "openai"], SecretId] = Field(default_factory=dict)
    # Let the functions with a Bedrock model subscribe to it through AWS Marketplace on first use.
    bedrock_marketplace: bool = False
    # AWS X-Ray tracing of every function (Tracing: Active).
    tracing: bool = False
    alarms: Alarms = Field(default_factory=Alarms)

    @field_validator("plugins_dir")
    @classmethod
    def _inside_project(cls, value: str | None) -> str | None:
        if value is not None and ".." in value.split("/"):
            raise ValueError(f"expected a folder inside the project, got {value!r}")
        return value


def image_repository(stack: str) -> str:
    """The one ECR repository of a stack's image (ECR names are lower case)."""
    return f"codepanel/{stack.lower()}"


def check_stack_name(name: str, error: type[Exception] | None = None) -> str:
    """A stack name that leaves room for the function names made from it (``--stack`` too)."""
    if len(name) > STACK_NAME_MAX or not re.match(STACK_NAME_PATTERN, name):
        message = (
            f"expected a letter, then letters, digits or '-', at most {STACK_NAME_MAX} characters, "
            f"got {name!r}"
        )
        if error is not None:
            raise error(message)
        from framework.errors import ConfigError

        raise ConfigError(f"--stack: {message}")
    return name
