"""Building a Strands model from a ``ModelSpec``: bedrock, anthropic, openai (any compatible server), ollama.

Each provider reads its usual environment variables; ``model.base_url`` and ``model.region`` in
reviewers.yaml take precedence. What is missing (a credential, an optional extra) is a
``ModelError`` in one line that names what to set or install. Strands is imported here only when
a model is built, never when this module is imported.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from typing import Any

from framework.config import ModelSpec
from framework.errors import ModelError

# The package each provider's Strands module needs, and the extra that installs it.
EXTRAS = {"anthropic": "anthropic", "openai": "openai", "ollama": "ollama"}
# Local OpenAI-compatible servers (vLLM, llama.cpp, LM Studio) take any key, but the client wants one.
PLACEHOLDER_API_KEY = "not-needed"
ANTHROPIC_MAX_TOKENS = 8192


def check(spec: ModelSpec) -> None:
    """Raise ``ModelError`` if ``spec`` cannot be used here; makes no network call."""
    if spec.offline:
        return
    _needs_extra(spec)
    _settings(spec)


def build(spec: ModelSpec, timeout: float | None = None) -> Any:
    """A Strands ``Model`` for ``spec``; ``timeout`` bounds each request in seconds."""
    if spec.offline:
        raise ModelError("no model is configured (offline): there is nothing to build")
    _needs_extra(spec)
    settings = _settings(spec)
    options = dict(spec.options)
    if spec.provider == "openai":
        from strands.models.openai import OpenAIModel

        client_args = {"api_key": settings["api_key"], "base_url": settings["base_url"]}
        if timeout:
            client_args["timeout"] = timeout
        return OpenAIModel(client_args=client_args, model_id=spec.model_id, params=options or None)
    if spec.provider == "anthropic":
        from strands.models.anthropic import AnthropicModel

        client_args = {"api_key": settings["api_key"], "base_url": settings["base_url"]}
        if timeout:
            client_args["timeout"] = timeout
        max_tokens = int(options.pop("max_tokens", ANTHROPIC_MAX_TOKENS))
        return AnthropicModel(
            client_args={key: value for key, value in client_args.items() if value},
            model_id=spec.model_id, max_tokens=max_tokens, params=options or None,
        )  # fmt: skip
    if spec.provider == "ollama":
        from strands.models.ollama import OllamaModel

        return OllamaModel(settings["host"], model_id=spec.model_id, **options)
    from botocore.config import Config as BotocoreConfig
    from strands.models.bedrock import BedrockModel

    client_config = BotocoreConfig(read_timeout=timeout) if timeout else None
    return BedrockModel(
        region_name=settings["region"], boto_client_config=client_config, model_id=spec.model_id, **options
    )


def _needs_extra(spec: ModelSpec) -> None:
    package = EXTRAS.get(spec.provider)
    if package and importlib.util.find_spec(package) is None:
        raise ModelError(
            f"{spec.label()} needs the {spec.provider} extra: pip install 'codepanel[{spec.provider}]'"
        )


def _settings(spec: ModelSpec) -> dict[str, Any]:
    """Where to reach the provider and with which credential; raises ``ModelError`` if one is missing."""
    env = os.environ
    if spec.provider == "openai":
        base_url = spec.base_url or env.get("OPENAI_BASE_URL") or None
        api_key = env.get("OPENAI_API_KEY")
        if not api_key and not base_url:
            raise ModelError(
                f"{spec.label()} needs an API key: set OPENAI_API_KEY "
                "(or OPENAI_BASE_URL / model.base_url for an OpenAI-compatible server)"
            )
        return {"api_key": api_key or PLACEHOLDER_API_KEY, "base_url": base_url}
    if spec.provider == "anthropic":
        api_key = env.get("ANTHROPIC_API_KEY")
        if not api_key:
            raise ModelError(f"{spec.label()} needs an API key: set ANTHROPIC_API_KEY")
        return {"api_key": api_key, "base_url": spec.base_url or env.get("ANTHROPIC_BASE_URL") or None}
    if spec.provider == "ollama":
        return {"host": spec.base_url or env.get("OLLAMA_HOST") or None}
    if spec.provider == "bedrock":
        return {"region": spec.region or env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or None,
                **_aws_credentials(spec)}  # fmt: skip
    raise ModelError(f"unknown model provider {spec.provider!r}")


def _aws_credentials(spec: ModelSpec) -> dict[str, Any]:
    if os.environ.get("AWS_BEARER_TOKEN_BEDROCK"):  # a Bedrock API key, read by botocore itself
        return {}
    import boto3
    import botocore.exceptions

    try:
        credentials = boto3.Session().get_credentials()
    except botocore.exceptions.BotoCoreError as error:
        raise ModelError(f"{spec.label()}: cannot read AWS credentials: {error}") from None
    if credentials is None:
        raise ModelError(
            f"{spec.label()} needs AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, or run with an IAM role (or set AWS_BEARER_TOKEN_BEDROCK)"
        )
    return {}
