"""The orchestrator's Lambda entry point: install the image's reviewers.yaml in the workspace, then orchestrate.

NOTE: the config reaches the workspace through the mount, written by a function as the access
point's POSIX user, so it and its folder have the owner every function runs as: S3 Files
documents that access points enforce that identity on everything written through them. Nothing
is written to the bucket directly, so nothing rests on how S3 Files maps object metadata. The
config travels in the image, so each published version of the orchestrator carries its own, and
a deploy that changes it moves the ``live`` alias (the digest is in the function's environment).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from framework import environment
from framework.cloud import secrets
from framework.run import orchestrator
from framework.run.workspace import Workspace


def install_config(source: str | None, workspace: Workspace) -> bool:
    """Copy ``source`` to the workspace's config unless it is there already; whether it copied."""
    if not source:
        return False
    text = Path(source).read_text(encoding="utf-8")
    installed = workspace.config_path
    if installed.is_file() and installed.read_text(encoding="utf-8") == text:
        return False
    workspace.publish_config(text)
    return True


def handler(event: Any, context: Any) -> Any:
    # Idempotent, and done on every invocation (replays too): an unchanged config is not rewritten.
    install_config(environment.config_file(), Workspace(environment.workspace()))
    # The aggregate step scores and summarises with defaults.model, which may need a key.
    secrets.load_api_key()
    return orchestrator.handler(event, context)
