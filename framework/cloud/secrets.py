"""A function's model API key, read from Secrets Manager once per process when the function starts.

The template names the secret (``cloud.secrets``) only on the functions whose model needs it, and
only their roles may read it. The key goes into the variable its provider reads
(``ANTHROPIC_API_KEY``, ``OPENAI_API_KEY``: see framework/agents/providers.py) before any
handler code runs, as if Lambda had set it, and is never written anywhere else.
"""

from __future__ import annotations

import json
import os
from typing import Any

from framework import environment
from framework.errors import CodepanelError

_loaded: set[str] = set()


def api_key_from(secret_string: str) -> str:
    """The key itself, or the ``api_key`` of a JSON object (the console's key/value form)."""
    text = secret_string.strip()
    if text.startswith("{"):
        try:
            value = json.loads(text).get("api_key")
        except (ValueError, AttributeError):
            value = None
        if not isinstance(value, str) or not value.strip():
            raise CodepanelError('the API key secret is a JSON object without an "api_key" string')
        return value.strip()
    if not text:
        raise CodepanelError("the API key secret is empty")
    return text


def load_api_key(client: Any = None) -> bool:
    """Put the function's API key into its provider's variable, once; whether there was one to load."""
    wanted = environment.api_key_secret()
    if wanted is None:
        return False
    secret, variable = wanted
    if secret in _loaded and os.environ.get(variable):
        return True
    if client is None:
        import boto3

        from framework.cloud.aws import retrying_config

        client = boto3.client("secretsmanager", config=retrying_config())
    from framework.cloud.aws import aws_errors

    with aws_errors(f"reading the API key secret {secret}"):
        value = client.get_secret_value(SecretId=secret)
    os.environ[variable] = api_key_from(value.get("SecretString") or "")
    _loaded.add(secret)
    return True
