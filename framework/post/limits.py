"""How much one run posts: GitHub's limits, and codepanel's own to stay clear of the undocumented ones.

GitHub refuses a comment body over 65,536 characters. It publishes no cap on the comments of one
review, but large reviews fail (tools that post them report failures past a few dozen to a few
hundred), and its secondary rate limits allow about 80 content-creating requests a minute: one
run makes one review, one summary and at most ``max_updates`` edits. What does not fit is counted
in the summary comment, and a later run posts the rest as comments are resolved.
"""

from __future__ import annotations

from dataclasses import dataclass

# GitHub's limit on a comment's body (issue comments, review comments, review bodies).
MAX_COMMENT_CHARS = 65_536


@dataclass(frozen=True)
class Limits:
    # Inline comments in the one review a run posts.
    max_inline: int = 50
    # Earlier comments marked fixed by one run (each is one request).
    max_updates: int = 30
    max_comment_chars: int = MAX_COMMENT_CHARS
    # Rate limiting: retries of one request, and the longest codepanel waits for one reset.
    retries: int = 3
    max_wait: float = 120.0
    # Pause between content-creating requests, as GitHub asks of integrations.
    seconds_between_writes: float = 1.0
    timeout: float = 30.0
