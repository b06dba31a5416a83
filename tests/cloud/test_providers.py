"""Every provider on AWS: API keys from Secrets Manager for exactly the functions that use them,
the extras in the image, Bedrock's Marketplace permissions on request, and unreachable models refused."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber
from cloud_helpers import as_list, resources_of_type, statements, translated, variant_config

from framework import config as config_module
from framework.cloud import image, secrets, template
from framework.errors import ConfigError

ANTHROPIC_ARN = "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:codepanel/anthropic-??????"
OPENAI_ARN = "arn:${AWS::Partition}:secretsmanager:us-east-1:123456789012:secret:codepanel/openai-AbCdEf"


def role_statements(role: str) -> dict[str, dict]:
    return {s["Sid"]: s for name, s in statements(translated("providers")) if name == role}


def function_environment(reviewer: str) -> dict:
    logical = f"Reviewer{template.logical_name(reviewer)}Function"
    return translated("providers")["Resources"][logical]["Properties"]["Environment"]["Variables"]


def test_a_non_bedrock_reviewer_gets_its_secret_and_nothing_else():
    security = role_statements("ReviewerSecurityRole")  # anthropic:claude-sonnet-4-5
    assert sorted(security) == ["ReadApiKey", "WorkspaceDirectReads", "WorkspaceMount"]
    assert security["ReadApiKey"]["Action"] == "secretsmanager:GetSecretValue"
    assert security["ReadApiKey"]["Resource"] == {"Fn::Sub": ANTHROPIC_ARN}
    environment = function_environment("security")
    assert (environment["CODEPANEL_API_KEY_SECRET"], environment["CODEPANEL_API_KEY_VARIABLE"]) == (
        "codepanel/anthropic", "ANTHROPIC_API_KEY",
    )  # fmt: skip
    style = role_statements("ReviewerStyleRole")  # openai:gpt-4.1
    assert style["ReadApiKey"]["Resource"] == {"Fn::Sub": OPENAI_ARN} and "BedrockModel" not in style
    assert function_environment("style")["CODEPANEL_API_KEY_VARIABLE"] == "OPENAI_API_KEY"


def test_only_the_functions_that_use_a_secret_may_read_it():
    readers = {}
    for name, statement in statements(translated("providers")):
        if any(action.startswith("secretsmanager:") for action in as_list(statement["Action"])):
            readers.setdefault(statement["Resource"]["Fn::Sub"], set()).add(name)
    assert readers == {
        ANTHROPIC_ARN: {"ReviewerSecurityRole"},
        OPENAI_ARN: {"ReviewerStyleRole", "ReviewerLicenceRole"},  # an OpenAI-compatible server with the openai key
    }
    # Ollama at its URL and the Bedrock reviewer get no secret; the orchestrator (Bedrock) neither.
    for reviewer in ("local-llm", "bedrock-only"):
        assert "CODEPANEL_API_KEY_SECRET" not in function_environment(reviewer)
    assert "CODEPANEL_API_KEY_SECRET" not in translated("providers")["Resources"]["OrchestratorFunction"]["Properties"][
        "Environment"]["Variables"]  # fmt: skip
    assert not [s for name, s in statements(translated("three")) if s["Sid"] == "ReadApiKey"]


def test_bedrock_marketplace_permissions_are_granted_only_on_request_and_only_with_bedrock():
    bedrock = role_statements("ReviewerBedrockOnlyRole")
    marketplace = bedrock["BedrockMarketplaceSubscription"]
    assert marketplace["Action"] == ["aws-marketplace:Subscribe", "aws-marketplace:Unsubscribe", "aws-marketplace:ViewSubscriptions"]
    assert marketplace["Condition"] == {"StringEquals": {"aws:CalledViaLast": "bedrock.amazonaws.com"}}
    assert "BedrockMarketplaceSubscription" in role_statements("OrchestratorRole")
    assert "BedrockMarketplaceSubscription" not in role_statements("ReviewerSecurityRole")  # anthropic, not Bedrock
    assert not [s for _, s in statements(translated("builtins-api")) if s["Sid"] == "BedrockMarketplaceSubscription"]


def test_the_image_carries_the_extras_of_the_configured_models(tmp_path):
    assert image.model_extras(variant_config("providers")) == ["anthropic", "ollama", "openai"]
    assert image.model_extras(variant_config("builtins-api")) == []
    requirements = image.pinned_requirements(["anthropic"])
    assert [line for line in requirements if line.startswith("strands-agents[")] == [
        f"strands-agents[anthropic]=={__import__('importlib.metadata').metadata.version('strands-agents')}"
    ]
    assert not [line for line in requirements if "pytest" in line or "cfn-lint" in line]  # other extras stay out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("reviewers:\n  a:\n    model: anthropic:claude-x\n",
         "reviewers.a.model: anthropic:claude-x needs an API key on AWS: name the Secrets Manager secret that holds it in cloud.secrets.anthropic"),
        ("reviewers:\n  a:\n    model: openai:gpt-x\n",
         "reviewers.a.model: openai:gpt-x needs an API key on AWS: name the Secrets Manager secret that holds it in cloud.secrets.openai"),
        ("reviewers:\n  a:\n    model: ollama:llama3\n",
         "reviewers.a.model: ollama:llama3 has no Ollama server on AWS: set model.base_url to one the functions can reach"),
        ("reviewers:\n  a:\n    model: anthropic:claude-x\ncloud:\n  secrets: {anthropic: k}\n  network: {nat: none}\n",
         "reviewers.a.model: anthropic:claude-x is outside AWS, but cloud.network.nat is 'none': choose a Bedrock model or a NAT option"),
        ("defaults:\n  model: anthropic:claude-x\nreviewers:\n  a: {model: offline}\n",
         "defaults.model: anthropic:claude-x needs an API key on AWS: name the Secrets Manager secret that holds it in cloud.secrets.anthropic"),
    ],
)  # fmt: skip
def test_generate_refuses_a_model_the_deployment_could_not_reach(text, message):
    with pytest.raises(ConfigError) as raised:
        template.render(config_module.parse(text))
    assert str(raised.value) == message


def test_without_nat_a_secret_is_read_through_its_endpoint():
    config = config_module.parse(
        "reviewers:\n  a:\n    model: {provider: openai, model_id: m, base_url: 'http://10.0.0.5/v1'}\n"
        "cloud:\n  secrets: {openai: k}\n  network: {nat: none}\n"
    )
    resources = template.context(config)["nat"]["endpoints"]
    assert [endpoint["service"] for endpoint in resources] == ["lambda", "secretsmanager"]


def secretsmanager_returning(value: str):
    client = boto3.client("secretsmanager", region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t")
    stub = Stubber(client)
    stub.add_response("get_secret_value", {"SecretString": value, "Name": "codepanel/anthropic"}, {"SecretId": "codepanel/anthropic"})
    stub.activate()
    return client


@pytest.mark.parametrize("value", ["sk-ant-123\n", '{"api_key": "sk-ant-123"}'])
def test_a_function_puts_its_key_in_its_providers_variable_at_start(monkeypatch, value):
    monkeypatch.setattr(secrets, "_loaded", set())
    monkeypatch.setenv("CODEPANEL_API_KEY_SECRET", "codepanel/anthropic")
    monkeypatch.setenv("CODEPANEL_API_KEY_VARIABLE", "ANTHROPIC_API_KEY")
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    assert secrets.load_api_key(secretsmanager_returning(value)) is True
    import os

    assert os.environ["ANTHROPIC_API_KEY"] == "sk-ant-123"
    assert secrets.load_api_key(object()) is True  # once per process: no second call


def test_without_a_secret_nothing_is_read(monkeypatch):
    monkeypatch.delenv("CODEPANEL_API_KEY_SECRET", raising=False)
    assert secrets.load_api_key(object()) is False
    with pytest.raises(Exception, match='without an "api_key" string'):
        secrets.api_key_from('{"key": "x"}')


def test_nested_reviewers_get_their_secret_too():
    text = "reviewers:\n" + "".join(f"  r{i:03d}: {{model: 'anthropic:claude-x'}}\n" for i in range(61))
    text += "cloud:\n  secrets: {anthropic: codepanel/anthropic}\n"
    rendered = template.render_all(config_module.parse(text))
    from cloud_helpers import parse

    part = parse(rendered["template.reviewers-1.yaml"])
    roles = resources_of_type(part, "AWS::IAM::Role")
    assert len(roles) == 50
    for role in roles.values():
        sids = [s["Sid"] for s in role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]]
        assert sids == ["ReadApiKey", "WorkspaceMount", "WorkspaceDirectReads"]
