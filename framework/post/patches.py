"""The lines of a pull request's diff that can carry a comment.

GitHub (``patch`` of each file) and GitLab (``diff`` of each change) give a file's hunks as
unified-diff text without the ``---``/``+++`` header. A comment may only sit on a line inside a
hunk; codepanel comments only on *added* lines, the ones the pull request wrote, and a comment
spanning several lines keeps inside one hunk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


@dataclass
class ChangedFile:
    path: str
    # Line numbers of the new side that the pull request added or changed.
    added: set[int] = field(default_factory=set)
    # Each hunk's lines on the new side, [first, last].
    hunks: list[tuple[int, int]] = field(default_factory=list)
    # The file as it was before, for a rename (GitLab's positions want it).
    old_path: str | None = None

    def anchor(self, first: int, last: int) -> int | None:
        """The first added line in [first, last], where a comment on that range goes."""
        return next((line for line in range(first, last + 1) if line in self.added), None)

    def one_hunk(self, first: int, last: int) -> bool:
        """Whether lines first..last all lie inside one hunk (a multi-line comment needs it)."""
        return any(start <= first and last <= end for start, end in self.hunks)


def parse(path: str, patch: str, old_path: str | None = None) -> ChangedFile:
    changed = ChangedFile(path, old_path=old_path)
    line = 0
    start = None
    for text in patch.splitlines():
        if match := HUNK.match(text):
            if start is not None and line > start:
                changed.hunks.append((start, line - 1))
            line = start = int(match[1])
        elif start is None:
            continue
        elif text.startswith("+"):
            changed.added.add(line)
            line += 1
        elif text.startswith(" ") or text == "":
            line += 1
        # "-" lines and "\ No newline at end of file" take no line of the new side.
    if start is not None and line > start:
        changed.hunks.append((start, line - 1))
    return changed
