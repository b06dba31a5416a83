"""A reviewer function's Lambda entry point: its model's API key from Secrets Manager, then the review."""

from __future__ import annotations

from typing import Any

from framework.cloud import secrets
from framework.run import reviewer_handler


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    secrets.load_api_key()
    return reviewer_handler.handler(event, context)
