"""`codepanel generate`: the SAM template, rendered from ``template.yaml.j2`` and reviewers.yaml.

Everything the Jinja2 template needs is computed here, as plain values: one entry per enabled
reviewer (logical ids, memory, timeout, the Bedrock ARNs its model needs), the networking mode and
the workspace settings. The template itself only lays them out.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framework import config as config_module
from framework import environment
from framework.cloud import image
from framework.cloud.image import IMAGE_PLUGINS_DIR, IMAGE_PROJECT_PLUGINS, BuildContext
from framework.config import Config, ModelSpec
from framework.config.cloud import LAMBDA_MAX_TIMEOUT, ORCHESTRATOR_SUFFIX, CloudConfig, Network
from framework.config.project import BUILD_FOLDER, TEMPLATE_FILENAME
from framework.errors import ConfigError
from framework.run.workspace import write_atomic

TEMPLATE_NAME = "template.yaml.j2"
ALIAS = "live"
# Cross-region inference profiles are the model id with a geography in front.
PROFILE_PREFIXES = ("us.", "eu.", "apac.", "jp.", "au.", "ca.", "us-gov.", "global.")
MODEL_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$")
BEDROCK_ACTIONS = ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream")
# Lambda's limit on a function's environment, names and values together.
LAMBDA_ENVIRONMENT_BYTES = 4096
# The longest alias ARN CloudFormation can give a reviewer: a 64-character function name.
LONGEST_ALIAS_ARN = (
    len("arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:") + 64 + len(":live")
)


@dataclass(frozen=True)
class ReviewerFunction:
    """One enabled reviewer as the template lays it out: a function, its role and its log group."""

    name: str
    logical: str
    description: str
    timeout: int
    memory: int
    model: str
    bedrock_arns: list[str] = field(default_factory=list)

    @property
    def function(self) -> str:
        return f"Reviewer{self.logical}Function"

    @property
    def role(self) -> str:
        return f"Reviewer{self.logical}Role"

    @property
    def log_group(self) -> str:
        return f"Reviewer{self.logical}LogGroup"


def logical_name(name: str) -> str:
    """``secret-scan_v2`` -> ``SecretScanV2``: CloudFormation logical ids are alphanumeric."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_]", name) if part)


def bedrock_arns(model: ModelSpec, where: str) -> list[str]:
    """The ARNs (``Fn::Sub`` strings) that a Bedrock model needs, and nothing wider.

    A cross-region inference profile needs the profile itself and the foundation model in every
    region the profile routes to; a plain model id needs only its foundation model.
    """
    if model.provider != "bedrock":
        return []
    model_id = model.model_id or ""
    if not MODEL_ID_PATTERN.match(model_id):
        raise ConfigError(f"{where}.model: {model_id!r} is not a Bedrock model id")
    region = model.region or "${AWS::Region}"
    if model_id.startswith("arn:"):
        return [model_id]
    prefix = next((p for p in PROFILE_PREFIXES if model_id.startswith(p)), None)
    if prefix is None:
        return [f"arn:${{AWS::Partition}}:bedrock:{region}::foundation-model/{model_id}"]
    base = model_id[len(prefix) :]
    arns = [
        f"arn:${{AWS::Partition}}:bedrock:{region}:${{AWS::AccountId}}:inference-profile/{model_id}",
        f"arn:${{AWS::Partition}}:bedrock:*::foundation-model/{base}",
    ]
    if prefix == "global.":
        arns.append(f"arn:${{AWS::Partition}}:bedrock:::foundation-model/{base}")
    return arns


def reviewer_functions(config: Config) -> list[ReviewerFunction]:
    functions: list[ReviewerFunction] = []
    seen: dict[str, str] = {}
    for name in config.enabled_names():
        entry = config.resolved(name)
        where = f"reviewers.{name}"
        if entry.timeout > LAMBDA_MAX_TIMEOUT:
            raise ConfigError(
                f"{where}.timeout: expected at most {LAMBDA_MAX_TIMEOUT} seconds on AWS Lambda, "
                f"got {entry.timeout}"
            )
        logical = logical_name(name)
        if logical in seen:
            raise ConfigError(
                f"{where}: its resource names would clash with reviewers.{seen[logical]}'s "
                f"({logical}); rename one of them"
            )
        seen[logical] = name
        functions.append(
            ReviewerFunction(
                name=name,
                logical=logical,
                description=_one_line(entry.description or f"codepanel reviewer {name}"),
                timeout=entry.timeout,
                memory=entry.memory,
                model=entry.model.label(),
                bedrock_arns=bedrock_arns(entry.model, where),
            )
        )
    return functions


def orchestrator_environment_bytes(names: list[str], cloud: CloudConfig) -> int:
    """The orchestrator's environment at its largest, once CloudFormation has filled in the ARNs."""
    functions = json.dumps({name: "x" * LONGEST_ALIAS_ARN for name in names})
    variables = {
        environment.WORKSPACE: cloud.workspace.mount_path, environment.REVIEWER_FUNCTIONS: functions,
        environment.PROJECT_PLUGINS: IMAGE_PROJECT_PLUGINS,
    }  # fmt: skip
    if cloud.plugins_dir:
        variables[environment.PLUGINS_DIR] = IMAGE_PLUGINS_DIR
    return sum(len(key) + len(value) for key, value in variables.items())


def check_environment_size(reviewers: list[ReviewerFunction], cloud: CloudConfig) -> None:
    # NOTE: the orchestrator finds each reviewer's alias in one environment variable (see
    # orchestrator.function_for), and Lambda allows 4 KB of environment: some 25 reviewers.
    names = [reviewer.name for reviewer in reviewers]
    if orchestrator_environment_bytes(names, cloud) > LAMBDA_ENVIRONMENT_BYTES:
        fits = max(
            n
            for n in range(len(names) + 1)
            if orchestrator_environment_bytes(names[:n], cloud) <= LAMBDA_ENVIRONMENT_BYTES
        )
        raise ConfigError(
            f"reviewers: {len(names)} are enabled, but the orchestrator's map of their functions "
            f"must fit in Lambda's {LAMBDA_ENVIRONMENT_BYTES} bytes of environment: {fits} of them fit"
        )


@dataclass(frozen=True)
class MountTarget:
    logical: str
    subnet: str
    security_groups: list[str]


def networking(network: Network) -> dict[str, Any]:
    """Subnets and security groups as the template writes them: ids, or references to its own."""
    if network.existing:
        subnets = list(network.subnet_ids)
        function_groups = list(network.security_group_ids)
        mount_groups = network.mount_target_groups()
    else:
        subnets = ["!Ref PrivateSubnet1", "!Ref PrivateSubnet2"]
        function_groups = ["!Ref FunctionSecurityGroup"]
        mount_groups = ["!Ref MountTargetSecurityGroup"]
    prefix = ipaddress.IPv4Network(network.cidr).prefixlen
    return {
        "function_subnets": subnets,
        "function_groups": function_groups,
        "mount_targets": [
            MountTarget(f"WorkspaceMountTarget{index}", subnet, list(mount_groups))
            for index, subnet in enumerate(subnets, start=1)
        ],
        # Four equal subnets: the public one, two private ones, one spare.
        "subnet_bits": 32 - prefix - 2,
    }


def context(config: Config, docker_context: str = BUILD_FOLDER, project_plugins: bool = False) -> dict[str, Any]:
    """The values ``template.yaml.j2`` is rendered with; ``project_plugins``: the image holds the project's."""
    cloud = config.cloud
    reviewers = reviewer_functions(config)
    if not reviewers:
        raise ConfigError("reviewers: no reviewer is enabled, so there is nothing to deploy")
    check_environment_size(reviewers, cloud)
    longest = max((reviewer.timeout for reviewer in reviewers), default=0)
    if cloud.orchestrator.execution_timeout <= longest:
        raise ConfigError(
            f"cloud.orchestrator.execution_timeout: expected more than the longest reviewer "
            f"timeout ({longest} s), got {cloud.orchestrator.execution_timeout}"
        )
    return {
        "cloud": cloud,
        "network": cloud.network,
        "workspace": cloud.workspace,
        "orchestrator": cloud.orchestrator,
        "reviewers": reviewers,
        # The aggregate step (scoring, executive summary) runs in the orchestrator on defaults.model.
        "orchestrator_bedrock_arns": bedrock_arns(config.defaults.model, "defaults"),
        **networking(cloud.network),
        # The orchestrator's CODEPANEL_REVIEWER_FUNCTIONS: reviewer name -> its alias (qualified ARN).
        "functions_map": json.dumps({r.name: f"${{{r.function}.Alias}}" for r in reviewers}),
        "alias": ALIAS,
        "orchestrator_suffix": ORCHESTRATOR_SUFFIX,
        "docker_context": docker_context,
        "project_plugins": project_plugins,
        "image_project_plugins": IMAGE_PROJECT_PLUGINS,
        "plugins_dir": cloud.plugins_dir,
        "image_plugins_dir": IMAGE_PLUGINS_DIR,
        "bedrock_actions": BEDROCK_ACTIONS,
        "env": {
            "workspace": environment.WORKSPACE,
            "functions": environment.REVIEWER_FUNCTIONS,
            "reviewer": environment.REVIEWER,
            "project_plugins": environment.PROJECT_PLUGINS,
            "plugins_dir": environment.PLUGINS_DIR,
            "orchestrator": environment.ORCHESTRATOR,
        },
    }


def render(
    config: Config, docker_context: str = BUILD_FOLDER, project_plugins: bool = False, template_path: Path | None = None
) -> str:
    import jinja2

    path = template_path or config_module.packaged_file(TEMPLATE_NAME)
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(path.parent)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # YAML, not HTML: every string goes through the q filter
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["q"] = _quote
    return environment.get_template(path.name).render(**context(config, docker_context, project_plugins))


def write(config: Config, output: str | os.PathLike[str], build: BuildContext) -> Path:
    """Render the template to ``output``, its image built from the context ``build``."""
    output = Path(output)
    docker_context = Path(os.path.relpath(build.root.resolve(), output.resolve().parent)).as_posix()
    write_atomic(output, render(config, docker_context, build.project_plugins), mode=0o644)
    return output


def _quote(value: Any) -> str:
    """A YAML scalar that reads back as exactly ``value`` (JSON is a subset of YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _one_line(text: str) -> str:
    return " ".join(text.split())[:250]


@dataclass(frozen=True)
class Generated:
    """What `codepanel generate` made: the template and the image's build context, for a panel."""

    panel: Any
    template: Path
    build: BuildContext

    @property
    def warnings(self) -> list[str]:
        """Plugins that failed to load, and what will not reach the image."""
        return [*self.panel.plugins.problems, *self.build.warnings]


def generate(config_path: str | None, output: str | None = None, command: str = "generate") -> Generated:
    """`codepanel generate`: the image's build context and the template, in the project."""
    from framework.panel import Panel

    panel = Panel.load(config_path)
    root = panel.project.require(command)
    build = image.assemble(panel, root / BUILD_FOLDER)
    written = write(panel.config, Path(output) if output else root / TEMPLATE_FILENAME, build)
    return Generated(panel, written, build)
