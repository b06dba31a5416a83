"""Building models from reviewers.yaml specs; prices; the agent keys of reviewers.yaml."""

from __future__ import annotations

import importlib.util

import pytest

from framework import config
from framework.agents import pricing
from framework.agents import providers as models
from framework.config import ModelSpec, Price
from framework.errors import ConfigError, ModelError

PROVIDER_ENV = (
    "OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "OLLAMA_HOST",
    "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION",
    "AWS_DEFAULT_REGION", "AWS_BEARER_TOKEN_BEDROCK", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
)  # fmt: skip


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in PROVIDER_ENV:
        monkeypatch.delenv(name, raising=False)
    # No AWS config files, no instance metadata: the credential chain finds nothing.
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def spec(value: str, **extra) -> ModelSpec:
    return ModelSpec.model_validate({**ModelSpec.model_validate(value).model_dump(), **extra})


def test_openai_needs_a_key_or_a_server(monkeypatch):
    with pytest.raises(ModelError) as error:
        models.check(spec("openai:gpt-4o"))
    assert str(error.value) == (
        "openai:gpt-4o needs an API key: set OPENAI_API_KEY "
        "(or OPENAI_BASE_URL / model.base_url for an OpenAI-compatible server)"
    )


def test_openai_reads_the_environment(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    model = models.build(spec("openai:my-model", options={"temperature": 0.1}), timeout=30)
    assert type(model).__name__ == "OpenAIModel"
    assert model.client_args == {"api_key": "sk-test", "base_url": "http://127.0.0.1:9/v1", "timeout": 30}
    assert model.get_config()["model_id"] == "my-model"
    assert model.get_config()["params"] == {"temperature": 0.1}


def test_openai_base_url_in_reviewers_yaml_wins_and_a_local_server_needs_no_key(monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://elsewhere/v1")
    model = models.build(spec("openai:llama", base_url="http://127.0.0.1:8080/v1"))
    assert model.client_args == {"api_key": models.PLACEHOLDER_API_KEY, "base_url": "http://127.0.0.1:8080/v1"}


def test_anthropic_needs_its_key(monkeypatch):
    monkeypatch.setattr(models.importlib.util, "find_spec", lambda name: object())
    with pytest.raises(ModelError, match=r"^anthropic:claude-x needs an API key: set ANTHROPIC_API_KEY$"):
        models.check(spec("anthropic:claude-x"))


@pytest.mark.parametrize("provider", ["anthropic", "openai", "ollama"])
def test_a_missing_extra_names_the_pip_command(monkeypatch, provider):
    real = importlib.util.find_spec
    monkeypatch.setattr(models.importlib.util, "find_spec", lambda name: None if name == provider else real(name))
    with pytest.raises(ModelError) as error:
        models.build(spec(f"{provider}:some-model"))
    assert str(error.value) == f"{provider}:some-model needs the {provider} extra: pip install 'codepanel[{provider}]'"


def test_bedrock_without_aws_credentials_says_what_to_set():
    with pytest.raises(ModelError) as error:
        models.check(spec("bedrock:anthropic.claude-sonnet-4"))
    message = str(error.value)
    assert message.startswith("bedrock:anthropic.claude-sonnet-4 needs AWS credentials: set AWS_PROFILE")
    assert "\n" not in message


def test_bedrock_uses_the_region_from_reviewers_yaml_over_the_environment(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    assert models.build(spec("bedrock:amazon.nova-pro-v1:0")).client.meta.region_name == "us-east-1"
    model = models.build(spec("bedrock:amazon.nova-pro-v1:0", region="eu-west-3"))
    assert model.client.meta.region_name == "eu-west-3"
    assert model.get_config()["model_id"] == "amazon.nova-pro-v1:0"


def test_offline_needs_nothing_and_builds_nothing():
    models.check(ModelSpec())
    with pytest.raises(ModelError, match="offline"):
        models.build(ModelSpec())


def test_importing_the_module_does_not_import_strands():
    import subprocess
    import sys

    code = "import sys, framework.agents.providers, framework.agents.tools, framework.agents.agent, framework.agents.pricing; print('strands' in sys.modules)"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("openai:gpt-4o-mini-2024-07-18", Price(input=0.15, output=0.6)),
        ("openai:gpt-4o", Price(input=2.5, output=10.0)),
        ("anthropic:claude-opus-4-5-20251101", Price(input=5.0, output=25.0)),
        ("anthropic:claude-opus-4-1", Price(input=15.0, output=75.0)),
        ("bedrock:us.anthropic.claude-sonnet-4-20250514-v1:0", Price(input=3.0, output=15.0)),
        ("bedrock:amazon.nova-lite-v1:0", Price(input=0.06, output=0.24)),
        ("ollama:llama3.1", Price(input=0.0, output=0.0)),
        ("openai:qwen2.5-coder", None),
    ],
)
def test_built_in_prices(model, expected):
    assert pricing.price_of(ModelSpec.model_validate(model)) == expected


def test_a_price_from_reviewers_yaml_wins_and_costs_add_up():
    override = Price(input=1.0, output=4.0)
    assert pricing.price_of(ModelSpec.model_validate("openai:gpt-4o"), override) == override
    assert pricing.cost(override, 1_000_000, 500_000) == 3.0
    assert pricing.cost(None, 10, 10) is None
    assert pricing.usage_record(ModelSpec.model_validate("openai:x"), override, 1000, 100, 2) == {
        "input_tokens": 1000, "output_tokens": 100, "total_tokens": 1100, "model_calls": 2,
        "estimated_cost_usd": 0.0014,
    }  # fmt: skip


AGENT_CONFIG = """
defaults:
  model: openai:gpt-4o
  agent: {verify: true, min_confidence: 0.4}
pricing:
  "openai:gpt-4o": {input: 2, output: 8.5}
reviewers:
  security: {agent: {min_confidence: 0.8}}
  style: {model: "ollama:llama3", agent: {verify: false}}
"""


def test_reviewers_get_their_agent_settings_and_price():
    loaded = config.parse(AGENT_CONFIG)
    security, style = loaded.resolved("security"), loaded.resolved("style")
    assert (security.agent.verify, security.agent.min_confidence) == (True, 0.8)
    assert security.price == Price(input=2.0, output=8.5)
    assert (style.agent.verify, style.agent.min_confidence) == (False, 0.4)
    assert style.price is None
    switched = loaded.with_model("openai:other").resolved("security")
    assert switched.price is None and switched.model.label() == "openai:other"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("defaults: {agent: {min_confidence: 1.5}}", "defaults.agent.min_confidence: expected a number at most 1, got 1.5"),
        ("defaults: {agent: {min_confidence: high}}", "defaults.agent.min_confidence: expected a number, got 'high'"),
        ("reviewers: {a: {agent: {verfiy: true}}}", "reviewers.a.agent.verfiy: unknown key"),
        ('pricing: {"openai:x": {input: -1, output: 1}}', "pricing.openai:x.input: expected a number at least 0, got -1"),
        ('pricing: {"openai:x": {input: 1}}', "pricing.openai:x.output: required key is missing"),
        ("pricing: {gpt: {input: 1, output: 1}}", "pricing: expected 'offline' or PROVIDER:MODEL_ID"),
    ],
)
def test_agent_keys_are_validated_in_one_line(text, message):
    with pytest.raises(ConfigError) as error:
        config.parse(text)
    assert str(error.value).startswith(f"reviewers.yaml: {message}")


def test_anthropic_reads_its_key_base_url_and_output_cap(monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")
    model = models.build(spec("anthropic:claude-sonnet-4", options={"max_tokens": 1000, "temperature": 0}), timeout=20)
    assert type(model).__name__ == "AnthropicModel"
    assert model.client.api_key == "sk-ant-test"
    assert str(model.client.base_url).rstrip("/") == "http://127.0.0.1:9"
    assert model.client.timeout == 20
    config = model.get_config()
    assert (config["model_id"], config["max_tokens"], config["params"]) == ("claude-sonnet-4", 1000, {"temperature": 0})
    default = models.build(spec("anthropic:claude-sonnet-4"))
    assert default.get_config()["max_tokens"] == models.ANTHROPIC_MAX_TOKENS


def test_ollama_takes_its_host_from_reviewers_yaml_or_the_environment(monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", "http://10.0.0.5:11434")
    assert models.build(spec("ollama:llama3.1")).host == "http://10.0.0.5:11434"
    model = models.build(spec("ollama:llama3.1", base_url="http://127.0.0.1:11434", options={"temperature": 0.2}))
    assert model.host == "http://127.0.0.1:11434"
    assert (model.get_config()["model_id"], model.get_config()["temperature"]) == ("llama3.1", 0.2)
