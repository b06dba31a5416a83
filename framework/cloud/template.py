"""`codepanel generate`: the SAM template, rendered from ``template.yaml.j2`` and reviewers.yaml.

Everything the Jinja2 template needs is computed here, as plain values: one entry per enabled
reviewer (logical ids, memory, timeout, the Bedrock ARNs its model needs), the networking mode and
the workspace settings. The template itself only lays them out.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framework import config as config_module
from framework import environment
from framework.cloud import image, names
from framework.cloud.image import IMAGE_PLUGINS_DIR, IMAGE_PROJECT_PLUGINS, BuildContext
from framework.cloud.network import networking
from framework.cloud.permissions import (
    BEDROCK_ACTIONS,
    MARKETPLACE_ACTIONS,
    ApiKeySecret,
    api_key_secret,
    bedrock_arns,
)  # fmt: skip
from framework.config import Config
from framework.config.cloud import (
    LAMBDA_MAX_TIMEOUT,
    WorkspaceSettings,
    image_repository,
)  # fmt: skip
from framework.config.project import BUILD_FOLDER, TEMPLATE_FILENAME
from framework.errors import CodepanelError, ConfigError
from framework.run.workspace import write_atomic

TEMPLATE_NAME = "template.yaml.j2"
ALIAS = "live"
# Up to this many reviewers live in the root template; past it, in nested stacks of PART_SIZE
# each: a reviewer is five resources once SAM has translated it (function, version, alias, role,
# log group), and CloudFormation allows 500 a template.
INLINE_MAX = 60
PART_SIZE = 50
# What the orchestrator installs in the workspace: the project's reviewers.yaml in the image.
IMAGE_CONFIG = IMAGE_PROJECT_PLUGINS.rsplit("/", 1)[0] + "/reviewers.yaml"


@dataclass(frozen=True)
class ReviewerFunction:
    """One enabled reviewer as the template lays it out: a function, its role and its log group."""

    name: str
    logical: str
    description: str
    timeout: int
    memory: int
    model: str
    config_digest: str
    function_name: str
    bedrock_arns: list[str] = field(default_factory=list)
    secret: ApiKeySecret | None = None

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


def digest(*values: Any) -> str:
    """A short digest of JSON-able values: what a function runs with, in its environment."""
    text = json.dumps(values, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def reviewer_functions(config: Config, stack: str | None = None) -> list[ReviewerFunction]:
    stack = stack or config.cloud.stack_name
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
                config_digest=digest(entry.model_dump(mode="json"), config.cloud.workspace.model_dump(mode="json")),
                function_name=names.reviewer_function_name(stack, name),
                bedrock_arns=bedrock_arns(entry.model, where),
                secret=api_key_secret(entry.model, config.cloud, where),
            )
        )
    return functions


def endpoint_services(reviewers: list[ReviewerFunction], orchestrator_bedrock: bool, secrets: bool) -> list[str]:
    """The interface endpoints a VPC without NAT needs: Lambda (invokes, checkpoints), and what models need."""
    services = ["lambda"]
    if orchestrator_bedrock or any(reviewer.bedrock_arns for reviewer in reviewers):
        services.append("bedrock-runtime")
    if secrets:
        services.append("secretsmanager")
    return services


@dataclass(frozen=True)
class Part:
    """A nested stack of reviewers: its logical id in the root template and its file beside it."""

    logical: str
    filename: str
    reviewers: list[ReviewerFunction]

    @property
    def first(self) -> str:
        return self.reviewers[0].name

    @property
    def last(self) -> str:
        return self.reviewers[-1].name


def split_parts(reviewers: list[ReviewerFunction], root_name: str) -> list[Part]:
    """No part up to INLINE_MAX reviewers; past it, nested stacks of PART_SIZE reviewers each."""
    if len(reviewers) <= INLINE_MAX:
        return []
    stem = Path(root_name).stem
    chunks = [reviewers[i : i + PART_SIZE] for i in range(0, len(reviewers), PART_SIZE)]
    return [
        Part(f"Reviewers{index}Stack", f"{stem}.reviewers-{index}.yaml", chunk)
        for index, chunk in enumerate(chunks, start=1)
    ]


def access_point_logical(settings: WorkspaceSettings) -> str:
    """``WorkspaceAccessPoint`` and a digest of its properties: a change replaces it under a new id."""
    return "WorkspaceAccessPoint" + digest(settings.uid, settings.gid, settings.root_directory, settings.permissions)[:10]


def context(
    config: Config, image_tag: str = "latest", project_plugins: bool = False, stack: str | None = None,
    root_name: str = TEMPLATE_FILENAME, config_text: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The values ``template.yaml.j2`` is rendered with.

    ``image_tag``: the build context's digest; ``project_plugins``: the image holds the project's
    plugins; ``stack``: the stack it is made for (function names and the image repository derive
    from it); ``config_text``: reviewers.yaml as written, whose digest versions the orchestrator.
    """
    cloud = config.cloud
    stack = stack or cloud.stack_name
    reviewers = reviewer_functions(config, stack)
    if not reviewers:
        raise ConfigError("reviewers: no reviewer is enabled, so there is nothing to deploy")
    longest = max((reviewer.timeout for reviewer in reviewers), default=0)
    if cloud.orchestrator.execution_timeout <= longest:
        raise ConfigError(
            f"cloud.orchestrator.execution_timeout: expected more than the longest reviewer "
            f"timeout ({longest} s), got {cloud.orchestrator.execution_timeout}"
        )
    orchestrator_arns = bedrock_arns(config.defaults.model, "defaults")
    orchestrator_secret = api_key_secret(config.defaults.model, cloud, "defaults")
    any_secret = orchestrator_secret is not None or any(reviewer.secret for reviewer in reviewers)
    network = networking(cloud.network, endpoint_services(reviewers, bool(orchestrator_arns), any_secret))
    access_point = access_point_logical(cloud.workspace)
    root_refs = {
        "inline": True,
        "access_point_arn": f"!GetAtt {access_point}.AccessPointArn",
        "file_system_arn": "!GetAtt WorkspaceFileSystem.FileSystemArn",
        "bucket_arn_sub": "${WorkspaceBucket.Arn}",
        "subnets": network["function_subnets"],
        "groups": network["function_groups"],
    }
    nested_refs = {
        "inline": False, "access_point_arn": "!Ref AccessPointArn", "file_system_arn": "!Ref FileSystemArn",
        "bucket_arn_sub": "${BucketArn}", "subnets": "!Ref SubnetIds", "groups": "!Ref SecurityGroupIds",
    }  # fmt: skip
    return {
        "cloud": cloud,
        "network": cloud.network,
        "workspace": cloud.workspace,
        "orchestrator": cloud.orchestrator,
        "reviewers": reviewers,
        "parts": split_parts(reviewers, root_name),
        "inline_max": INLINE_MAX,
        "part": None,
        "panel_stack": stack,
        "access_point": access_point,
        "root_refs": root_refs,
        "nested_refs": nested_refs,
        # The aggregate step (scoring, executive summary) runs in the orchestrator on defaults.model.
        "orchestrator_bedrock_arns": orchestrator_arns,
        "orchestrator_secret": orchestrator_secret,
        "marketplace_actions": MARKETPLACE_ACTIONS if cloud.bedrock_marketplace else (),
        **network,
        "image": {"uri_sub": f"${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.${{AWS::URLSuffix}}/{image_repository(stack)}:{image_tag}"},
        "image_config": IMAGE_CONFIG,
        "config_digest": digest(config_text if config_text is not None else config.model_dump(mode="json")),
        "alias": names.ALIAS,
        "orchestrator_suffix": names.ORCHESTRATOR_SUFFIX,
        "reviewer_infix": names.REVIEWER_INFIX,
        "project_plugins": project_plugins,
        "image_project_plugins": IMAGE_PROJECT_PLUGINS,
        "plugins_dir": cloud.plugins_dir,
        "image_plugins_dir": IMAGE_PLUGINS_DIR,
        "bedrock_actions": BEDROCK_ACTIONS,
        "env": {
            "workspace": environment.WORKSPACE,
            "config": environment.CONFIG,
            "config_digest": environment.CONFIG_DIGEST,
            "stack": environment.STACK,
            "function_arn_prefix": environment.FUNCTION_ARN_PREFIX,
            "max_concurrency": environment.MAX_CONCURRENCY,
            "reviewer": environment.REVIEWER,
            "project_plugins": environment.PROJECT_PLUGINS,
            "plugins_dir": environment.PLUGINS_DIR,
            "orchestrator": environment.ORCHESTRATOR,
            "api_key_secret": environment.API_KEY_SECRET,
            "api_key_variable": environment.API_KEY_VARIABLE,
        },
    }


def _jinja(template_path: Path | None) -> Any:
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
    return environment.get_template(path.name)


def render_all(config: Config, template_path: Path | None = None, **options: Any) -> dict[str, str]:
    """The root template and its nested stacks' templates, by file name (the root's first)."""
    values = context(config, **options)
    jinja_template = _jinja(template_path)
    rendered = {options.get("root_name", TEMPLATE_FILENAME): jinja_template.render(**values)}
    for part in values["parts"]:
        rendered[part.filename] = jinja_template.render(**{**values, "part": part})
    return rendered


def render(config: Config, template_path: Path | None = None, **options: Any) -> str:
    """The root template (see ``render_all`` for the nested ones of a large panel)."""
    return next(iter(render_all(config, template_path, **options).values()))


def write(
    config: Config, output: str | os.PathLike[str], build: BuildContext, stack: str | None = None,
    config_text: str | None = None,
) -> Path:  # fmt: skip
    """Render the template (and its nested stacks') to ``output``, for the image built from ``build``."""
    output = Path(output)
    rendered = render_all(
        config, image_tag=build.digest, project_plugins=build.project_plugins, stack=stack,
        root_name=output.name, config_text=config_text,
    )  # fmt: skip
    for stale in output.parent.glob(f"{output.stem}.reviewers-*.yaml"):
        if stale.name not in rendered:
            stale.unlink()
    for name, text in rendered.items():
        write_atomic(output.parent / name, text, mode=0o644)
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


def check_network(config: Config, session: Any = None, required: bool = False) -> list[str]:
    """Check existing-VPC subnets against EC2 (see framework/cloud/network.py); warnings to show.

    ``generate`` checks them when AWS can be reached and says so when it cannot; ``deploy`` passes
    its ``session`` and requires the check.
    """
    from framework.cloud import aws, network

    if not config.cloud.network.existing:
        return []
    try:
        session = session or aws.session(config.cloud.region, config.cloud.profile)
        return network.check_subnets(session.client("ec2"), config.cloud.network)
    except ConfigError:
        raise
    except CodepanelError as error:
        if required:
            raise
        return [f"the subnets were not checked ({error}); `codepanel deploy` checks them"]


def generate(
    config_path: str | None, output: str | None = None, command: str = "generate", stack: str | None = None,
    session: Any = None,
) -> Generated:
    """`codepanel generate`: the image's build context and the template, in the project."""
    from framework.panel import Panel

    panel = Panel.load(config_path)
    root = panel.project.require(command)
    network_warnings = check_network(panel.config, session, required=session is not None)
    build = image.assemble(panel, root / BUILD_FOLDER)
    build.warnings.extend(network_warnings)
    output_path = Path(output) if output else root / TEMPLATE_FILENAME
    written = write(panel.config, output_path, build, stack=stack, config_text=panel.config_text)
    return Generated(panel, written, build)
