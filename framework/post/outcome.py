"""What posting did, told in one line on the console (and in the job summary when it was skipped)."""

from __future__ import annotations

from dataclasses import dataclass, field


class PostFailed(Exception):
    """The platform refused or could not be reached; the message is one line for a user."""


@dataclass
class PostOutcome:
    target: str  # "owner/name#12", or the kind when the target was never known
    skipped: str | None = None  # why nothing (more) was posted
    posted: int = 0
    already: int = 0
    marked: int = 0
    off_diff: int = 0
    over_limit: int = 0
    suggestions: int = 0
    summary: str | None = None  # "created" or "updated"
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.skipped and not self.summary and not self.posted:
            return f"Posting to {self.target} skipped: {self.skipped}"
        parts = [f"{self.posted} new inline comments" + (f" ({self.suggestions} with a suggested fix)" if self.suggestions else ""),
                 f"{self.already} already posted", f"{self.marked} marked fixed"]  # fmt: skip
        if self.over_limit:
            parts.append(f"{self.over_limit} over the limit")
        text = f"Posted to {self.target}: " + ", ".join(parts)
        if self.summary:
            text += f"; summary comment {self.summary}"
        if self.skipped:
            text += f"; then stopped: {self.skipped}"
        return text
