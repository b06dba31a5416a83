"""Helpers for the cloud tests: rendered and SAM-translated templates of the reviewers.yaml variants.

Each variant in variants/ is a whole reviewers.yaml; its template is rendered, parsed and translated
once per session (the functions are cached) and handed out as fresh copies.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

from framework import config as config_module
from framework.cloud import template

HERE = Path(__file__).parent
VARIANTS_DIR = HERE / "variants"
VARIANTS = sorted(path.stem for path in VARIANTS_DIR.glob("*.yaml"))
REPO = HERE.parent.parent
FAKE_ACCOUNT = "123456789012"


def variant_config(name: str) -> config_module.Config:
    return config_module.load(VARIANTS_DIR / f"{name}.yaml")


@functools.cache
def _rendered_all(name: str) -> tuple[tuple[str, str], ...]:
    return tuple(template.render_all(variant_config(name)).items())


def rendered_all(name: str) -> dict[str, str]:
    """The root template and its nested stacks' templates, by file name, the root's first."""
    return dict(_rendered_all(name))


def rendered(name: str) -> str:
    return _rendered_all(name)[0][1]


def parts(name: str) -> list[str]:
    """The file names of a variant's nested stacks' templates (none up to INLINE_MAX reviewers)."""
    return [filename for filename, _ in _rendered_all(name)[1:]]


def raw_part(name: str, filename: str) -> dict[str, Any]:
    return parse(rendered_all(name)[filename])


@functools.cache
def _translated_part(name: str, filename: str) -> str:
    return json.dumps(translate(raw_part(name, filename), region_of(name)))


def translated_part(name: str, filename: str) -> dict[str, Any]:
    return json.loads(_translated_part(name, filename))


def every_template(name: str) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(file name, as rendered, as translated) for the root template and each nested one."""
    root = [("template.yaml", raw(name), translated(name))]
    return root + [(f, raw_part(name, f), translated_part(name, f)) for f in parts(name)]


def parse(text: str) -> dict[str, Any]:
    """A CloudFormation YAML template as data, short-form tags (!Ref...) turned into long form."""
    from cfnlint.decode import decode_str

    parsed, problems = decode_str(text)
    assert not problems, problems
    return json.loads(json.dumps(parsed))


@functools.cache
def _raw(name: str) -> str:
    return json.dumps(parse(rendered(name)))


def raw(name: str) -> dict[str, Any]:
    return json.loads(_raw(name))


def region_of(name: str) -> str:
    return variant_config(name).cloud.region or "us-east-1"


def translate(sam_template: dict[str, Any], region: str) -> dict[str, Any]:
    """The SAM template as CloudFormation, translated offline by aws-sam-translator in ``region``.

    The S3 Files resources and DurableConfig need nothing: the translator passes unknown resources through and knows
    DurableConfig. No managed policy is named by name, so no policy map is needed.
    """
    import boto3
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.arn_generator import ArnGenerator
    from samtranslator.translator.translator import Translator

    sam_template = copy.deepcopy(sam_template)
    previous = ArnGenerator.BOTO_SESSION_REGION_NAME
    ArnGenerator.BOTO_SESSION_REGION_NAME = region
    try:
        # A session with a region and no credentials: the translator never calls AWS.
        session = boto3.Session(
            region_name=region, aws_access_key_id="offline", aws_secret_access_key="offline"
        )
        return Translator({}, Parser(), boto_session=session).translate(
            sam_template, parameter_values={}
        )
    finally:
        ArnGenerator.BOTO_SESSION_REGION_NAME = previous


@functools.cache
def _translated(name: str) -> str:
    return json.dumps(translate(raw(name), region_of(name)))


def translated(name: str) -> dict[str, Any]:
    return json.loads(_translated(name))


def lint(text: str, region: str) -> list:
    """cfn-lint's matches on a template (informational checks included)."""
    from cfnlint.api import ManualArgs, lint

    return lint(text, config=ManualArgs(regions=[region], include_checks=["I"]))


def resources_of_type(tpl: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {name: res for name, res in tpl["Resources"].items() if res["Type"] == kind}


def statements(tpl: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every IAM policy statement of the template, with the resource that holds it."""
    found = []
    for name, resource in tpl["Resources"].items():
        properties = resource.get("Properties", {})
        documents = [policy["PolicyDocument"] for policy in properties.get("Policies", [])]
        if resource["Type"] in (
            "AWS::IAM::Policy",
            "AWS::IAM::ManagedPolicy",
            "AWS::S3::BucketPolicy",
        ):
            documents.append(properties["PolicyDocument"])
        for document in documents:
            listed = document["Statement"]
            for statement in listed if isinstance(listed, list) else [listed]:
                found.append((name, statement))
    return found


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
