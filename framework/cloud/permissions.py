"""What the functions' roles are granted for their models: Bedrock ARNs, an API key's secret, Marketplace.

Computed from a ``ModelSpec`` and the ``cloud:`` section, never wider than the model needs; a
model the deployment could not reach is a one-line ``ConfigError`` here, so `generate` refuses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from framework.config import ModelSpec
from framework.config.cloud import SECRET_PROVIDERS, CloudConfig
from framework.errors import ConfigError

# Cross-region inference profiles are the model id with a geography in front.
PROFILE_PREFIXES = ("us.", "eu.", "apac.", "jp.", "au.", "ca.", "us-gov.", "global.")
MODEL_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$")
BEDROCK_ACTIONS = ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream")
# What the first call of a third-party Bedrock model needs to subscribe to it through AWS
# Marketplace (https://docs.aws.amazon.com/bedrock/latest/userguide/model-access.html).
MARKETPLACE_ACTIONS = ("aws-marketplace:Subscribe", "aws-marketplace:Unsubscribe", "aws-marketplace:ViewSubscriptions")


@dataclass(frozen=True)
class ApiKeySecret:
    """The Secrets Manager secret with a function's model API key: its id, its ARN and its variable."""

    secret_id: str
    arn_sub: str
    variable: str


def api_key_secret(model: ModelSpec, cloud: CloudConfig, where: str) -> ApiKeySecret | None:
    """The secret a model needs on AWS, or a one-line error when the deployment could not reach it."""
    if model.provider in ("offline", "bedrock"):
        return None
    nat = None if cloud.network.existing else cloud.network.nat_mode
    if model.provider == "ollama" and not model.base_url:
        raise ConfigError(
            f"{where}.model: {model.label()} has no Ollama server on AWS: set model.base_url to one the functions can reach"
        )
    if nat == "none" and not model.base_url:
        raise ConfigError(
            f"{where}.model: {model.label()} is outside AWS, but cloud.network.nat is 'none': "
            "choose a Bedrock model or a NAT option"
        )
    secret_id = cloud.secrets.get(model.provider) if model.provider in SECRET_PROVIDERS else None
    if secret_id is None:
        if model.provider == "anthropic" or (model.provider == "openai" and not model.base_url):
            raise ConfigError(
                f"{where}.model: {model.label()} needs an API key on AWS: name the Secrets Manager secret "
                f"that holds it in cloud.secrets.{model.provider}"
            )
        return None
    if secret_id.startswith("arn:"):
        arn_sub = "arn:${AWS::Partition}:" + secret_id.split(":", 2)[2]
    else:
        # Secrets Manager ends a secret's ARN in a hyphen and six random characters.
        arn_sub = f"arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:{secret_id}-??????"
    return ApiKeySecret(secret_id, arn_sub, SECRET_PROVIDERS[model.provider])


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
