"""The HTTP trigger's Lambda handler: ``POST /review`` starts a review and answers with its run id.

API Gateway has already checked the caller's AWS signature (IAM authorisation) before this runs.
Body::

    {"repository": "https://github.com/OWNER/REPO", "reviewers": ["security", "style"]}

The orchestrator applies the source policy (allowed hosts and schemes) and checks the reviewer
names against the published config; this handler only refuses what is malformed.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from framework import environment
from framework.config import NAME_PATTERN
from framework.errors import CodepanelError

MAX_BODY_BYTES = 16_384
MAX_REPOSITORY_CHARS = 2048


class BadRequest(Exception):
    """The request body is malformed; answered with 400 and the message."""


def handler(
    event: dict[str, Any], context: Any = None, lambda_client: Any = None
) -> dict[str, Any]:
    try:
        repository, reviewers = parse_request(event)
    except BadRequest as error:
        return _response(400, {"error": str(error)})
    if lambda_client is None:
        import boto3

        from framework.cloud.aws import retrying_config

        lambda_client = boto3.client("lambda", config=retrying_config())
    from framework.cloud import remote

    try:
        started = remote.start_review(
            lambda_client, environment.orchestrator(), repository, reviewers
        )
    except CodepanelError as error:
        print(json.dumps({"error": str(error)}))  # for the function's log
        return _response(502, {"error": "the review could not be started"})
    return _response(202, {"run_id": started.run_id, "reviewers": reviewers})


def parse_request(event: dict[str, Any]) -> tuple[str, list[str] | None]:
    """The repository URL and reviewer names of an HTTP API (payload 2.0) event."""
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            body = base64.b64decode(body).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            raise BadRequest("the body is not valid base64-encoded UTF-8") from None
    if len(body.encode("utf-8")) > MAX_BODY_BYTES:
        raise BadRequest(f"the body is larger than {MAX_BODY_BYTES} bytes")
    try:
        request = json.loads(body)
    except ValueError:
        raise BadRequest(
            'expected a JSON body: {"repository": URL, "reviewers": [NAME, ...]}'
        ) from None
    if not isinstance(request, dict):
        raise BadRequest("expected a JSON object")
    unknown = sorted(set(request) - {"repository", "reviewers"})
    if unknown:
        raise BadRequest(f"unknown key {unknown[0]!r}; expected repository and reviewers")
    repository = request.get("repository")
    if not isinstance(repository, str) or not repository.strip():
        raise BadRequest("repository: expected a repository URL")
    if len(repository) > MAX_REPOSITORY_CHARS or any(
        ch.isspace() or ord(ch) < 32 for ch in repository
    ):
        raise BadRequest("repository: expected a URL without spaces or control characters")
    reviewers = request.get("reviewers")
    if isinstance(reviewers, str):
        reviewers = [name.strip() for name in reviewers.split(",") if name.strip()]
    if reviewers is not None:
        if not isinstance(reviewers, list) or not all(isinstance(name, str) for name in reviewers):
            raise BadRequest("reviewers: expected a list of reviewer names")
        bad = [name for name in reviewers if not re.match(NAME_PATTERN, name)]
        if bad:
            raise BadRequest(f"reviewers: {bad[0][:60]!r} is not a reviewer name")
    return repository.strip(), list(dict.fromkeys(reviewers)) if reviewers else None


def _response(status: int, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(body),
    }
