"""A reviewer's fix (ruff's, in ``finding.details["fix"]``) as the lines a suggestion block proposes.

A suggestion replaces whole lines: the lines the comment spans. So a fix is offered only when
every edit lies within the finding's own lines; the result is those lines with the edits applied.
Display-only fixes (ruff's word for "not safe to apply by a machine") are not offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from framework.findings import Finding

# A suggestion longer than this is not a suggestion a reviewer reads: the comment goes without it.
MAX_SUGGESTION_CHARS = 20_000


@dataclass(frozen=True)
class Suggestion:
    first: int  # the lines it replaces, 1-based, inclusive
    last: int
    text: str  # their replacement, without the final newline ("" deletes them)
    applicability: str = ""


def suggest(finding: Finding, lines: list[str]) -> Suggestion | None:
    """The suggestion for ``finding`` in a file of ``lines`` (without line ends), or None."""
    fix = finding.details.get("fix") if isinstance(finding.details, dict) else None
    if not isinstance(fix, dict) or fix.get("applicability") == "display-only":
        return None
    edits = _edits(fix.get("edits"))
    first, last = finding.line, finding.end_line or finding.line
    if not edits or last > len(lines):
        return None
    for (start_row, _), (end_row, end_column), _ in edits:
        # An edit that ends at the start of the next line (a whole line removed) ends on this one.
        end = end_row - 1 if end_column == 1 and end_row > start_row else end_row
        if start_row < first or end > last:
            return None
    chosen = lines[first - 1 : last]
    block = "".join(line + "\n" for line in chosen)
    starts = [0]  # where each line of the block begins, and its end
    for line in chosen:
        starts.append(starts[-1] + len(line) + 1)

    def offset(row: int, column: int) -> int:
        index = row - first  # at most len(chosen): the start of the line after the block
        if index >= len(chosen):
            return len(block)
        return min(starts[index] + column - 1, starts[index + 1] - 1)

    for start, end, content in sorted(edits, key=lambda edit: edit[0], reverse=True):
        begin, finish = offset(*start), offset(*end)
        if finish < begin:
            return None
        block = block[:begin] + content + block[finish:]
    text = block.removesuffix("\n")
    if len(text) > MAX_SUGGESTION_CHARS:
        return None
    return Suggestion(first, last, text, str(fix.get("applicability") or ""))


def _edits(raw: Any) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
    edits = []
    if not isinstance(raw, list):
        return []
    for edit in raw:
        try:
            start, end = edit["location"], edit["end_location"]
            edits.append(((int(start["row"]), int(start["column"])), (int(end["row"]), int(end["column"])),
                          str(edit.get("content") or "")))  # fmt: skip
        except (KeyError, TypeError, ValueError):
            return []
    if any(min(*start, *end) < 1 for start, end, _ in edits):
        return []
    return edits
