"""Every deploy takes effect: any change a function runs with publishes a new version for its `live` alias.

SAM names a function's version after a hash (AutoPublishAliasAllProperties: of all its
properties), and CloudFormation moves the alias when that logical id changes. So a change reaches
the alias exactly when the translated version's logical id changes: that is what is compared here.
"""

from __future__ import annotations

import pytest
from cloud_helpers import parse, resources_of_type, translate

from framework import config as config_module
from framework.cloud import template

BASE = """
reviewers:
  security: {plugin: security, timeout: 300, memory: 1024}
  style: {plugin: style}
cloud:
  region: us-east-1
"""


def versions(text: str, **options) -> dict[str, str]:
    """Function logical id -> its version's logical id, in the translated template."""
    translated = translate(parse(template.render(config_module.parse(text), **options)), "us-east-1")
    found = {}
    for name, version in resources_of_type(translated, "AWS::Lambda::Version").items():
        found[version["Properties"]["FunctionName"]["Ref"]] = name
    return found


@pytest.fixture(scope="module")
def before() -> dict[str, str]:
    return versions(BASE)


def test_the_same_input_gives_the_same_versions(before):
    assert versions(BASE) == before  # nothing changes: nothing is published


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("timeout: 300", "timeout: 301"),
        ("memory: 1024", "memory: 2048"),
        ("{plugin: security, ", "{plugin: security, description: another, "),
        ("{plugin: security, ", "{plugin: security, settings: {min_severity: high}, "),
        ("{plugin: security, ", "{plugin: security, model: 'bedrock:amazon.nova-pro-v1:0', "),
    ],
)
def test_a_reviewers_change_publishes_its_version_and_the_orchestrators(before, old, new):
    after = versions(BASE.replace(old, new))
    assert after["ReviewerSecurityFunction"] != before["ReviewerSecurityFunction"]
    assert after["ReviewerStyleFunction"] == before["ReviewerStyleFunction"]  # untouched
    # The orchestrator installs reviewers.yaml from its image, whose digest it carries.
    assert after["OrchestratorFunction"] != before["OrchestratorFunction"]


@pytest.mark.parametrize(
    "extra",
    [
        "  orchestrator: {execution_timeout: 7200}\n",
        "  orchestrator: {timeout: 600}\n",
        "  orchestrator: {memory: 4096}\n",
        "  orchestrator: {retention_days: 30}\n",
        "  max_concurrency: 3\n",
        "  log_retention_days: 7\n",
    ],
)
def test_an_orchestrator_change_publishes_its_version(before, extra):
    after = versions(BASE + extra)
    assert after["OrchestratorFunction"] != before["OrchestratorFunction"]


@pytest.mark.parametrize("extra", ["  workspace: {uid: 2000}\n", "  workspace: {gid: 2000}\n",
                                   "  workspace: {root_directory: /other}\n", "  workspace: {permissions: '770'}\n"])  # fmt: skip
def test_a_new_access_point_publishes_every_mounting_function(before, extra):
    """The access point is replaced under a new logical id; every alias moves to a version that mounts the new one."""
    changed = BASE + extra
    assert template.access_point_logical(config_module.parse(changed).cloud.workspace) != template.access_point_logical(
        config_module.parse(BASE).cloud.workspace
    )
    after = versions(changed)
    assert set(after) == set(before)
    assert all(after[name] != before[name] for name in before)


def test_a_new_image_publishes_every_function(before):
    after = versions(BASE, image_tag="0123456789abcdef")
    assert all(after[name] != before[name] for name in before)


def test_a_comment_in_reviewers_yaml_moves_only_the_orchestrator(before):
    after = versions(BASE, config_text=BASE + "# a comment\n")
    assert after["ReviewerSecurityFunction"] == before["ReviewerSecurityFunction"]
    assert after["OrchestratorFunction"] != versions(BASE, config_text=BASE)["OrchestratorFunction"]
