"""The hidden markers that let a later run find what an earlier one posted.

Every comment codepanel writes begins with an HTML comment, which GitHub and GitLab do not show:
``<!-- codepanel:summary -->`` on the summary, and on each inline comment its finding's
fingerprint, the reviewer that found it and whether it is still open::

    <!-- codepanel:finding fp=3f2a... reviewer=security state=open -->

Only a marker at the very start of a body counts, and only in comments written by codepanel's
own account (``framework.post.github``, ``framework.post.gitlab`` check the author): anyone can
type a marker into a comment of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SUMMARY = "<!-- codepanel:summary -->"
OPEN, FIXED = "open", "fixed"
_FINDING = re.compile(
    r"<!-- codepanel:finding fp=([0-9a-f]{8,64}) reviewer=([A-Za-z0-9_.-]{1,100}) state=(open|fixed) -->"
)


@dataclass(frozen=True)
class Marker:
    fingerprint: str
    reviewer: str
    state: str

    def text(self) -> str:
        return f"<!-- codepanel:finding fp={self.fingerprint} reviewer={self.reviewer} state={self.state} -->"


def finding_marker(body: str | None) -> Marker | None:
    match = _FINDING.match(body or "")
    return Marker(match[1], match[2], match[3]) if match else None


def is_summary(body: str | None) -> bool:
    return (body or "").startswith(SUMMARY)
