"""The deployed functions' names, derived from the stack and the reviewer: the template and the orchestrator agree on them.

No map of reviewers travels in the orchestrator's environment (Lambda allows 4 KB of it, some 25
reviewers): the orchestrator computes a reviewer's function from its own stack name, the same way
``template.yaml.j2`` named it. This module imports nothing, so the Lambda handlers can use it.
"""

from __future__ import annotations

import hashlib

ALIAS = "live"
ORCHESTRATOR_SUFFIX = "-orchestrator"
TRIGGER_SUFFIX = "-trigger"
REVIEWER_INFIX = "-r-"
# Lambda's limit on a function name.
FUNCTION_NAME_MAX = 64
HASH_CHARS = 8


def reviewer_function_name(stack: str, reviewer: str) -> str:
    """``codepanel`` + ``security`` -> ``codepanel-r-security``; too long a name keeps a hash of the rest."""
    name = f"{stack}{REVIEWER_INFIX}{reviewer}"
    if len(name) <= FUNCTION_NAME_MAX:
        return name
    digest = hashlib.sha256(reviewer.encode("utf-8")).hexdigest()[:HASH_CHARS]
    keep = FUNCTION_NAME_MAX - len(stack) - len(REVIEWER_INFIX) - 1 - HASH_CHARS
    return f"{stack}{REVIEWER_INFIX}{reviewer[:keep]}-{digest}"


def reviewer_function_arn(function_arn_prefix: str, stack: str, reviewer: str) -> str:
    """The qualified ARN (the ``live`` alias) that the orchestrator invokes for ``reviewer``."""
    return f"{function_arn_prefix}{reviewer_function_name(stack, reviewer)}:{ALIAS}"
