"""Inline suppressions: ``# codepanel: ignore[rule-id] reason`` in the reviewed source.

A suppression is a comment (``#``, ``//``, ``/*``, ``--``, ``<!--`` or ``;``) holding
``codepanel: ignore[IDS]`` and then, optionally, the reason. IDS is a comma-separated list of

- ``rule-id``: that rule, whichever reviewer reports it (``F401``, ``command-injection``);
- ``reviewer/rule-id``: that rule of that reviewer only (``security/command-injection``);
- ``*``: every finding. NOTE: allowed on purpose, for generated or vendored lines; the reason is
  recorded like any other and the summary counts every suppressed finding, so none goes unseen.

It covers the findings that start on its own line, or on the line below a block of comment-only
lines that holds it. A suppressed finding leaves the reports (table, Markdown, HTML, SARIF) and
``--fail-on``; ``findings.json`` keeps it with ``"suppressed": true`` and its reason. Findings on
the repository as a whole (file ``.``) cannot be suppressed inline: use a baseline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from framework.errors import PathRefused
from framework.findings import Finding
from framework.tree import SourceTree

COMMENT = re.compile(r"^\s*(?:#|//|/\*|--|<!--|;)")
DIRECTIVE = re.compile(
    r"(?:#|//|/\*|--|<!--|;)\s*codepanel:\s*ignore\[([^\]\n]*)\](.*)$", re.IGNORECASE
)
# How far above a finding a block of comment lines may reach.
MAX_COMMENT_BLOCK = 10
MAX_READ_BYTES = 16_000_000
MAX_REASON = 500


@dataclass(frozen=True)
class Suppression:
    rules: tuple[str, ...]
    reason: str

    def covers(self, finding: Finding) -> bool:
        rule = finding.rule_id.lower()
        qualified = f"{finding.reviewer}/{finding.rule_id}".lower()
        return any(wanted in ("*", rule, qualified) for wanted in self.rules)


def parse(line: str) -> Suppression | None:
    """The suppression a line of source holds, if any."""
    match = DIRECTIVE.search(line)
    if not match:
        return None
    rules = tuple(part.strip().lower() for part in match[1].split(",") if part.strip())
    if not rules:
        return None
    reason = match[2].strip()
    for ending in ("*/", "-->"):
        reason = reason.removesuffix(ending).rstrip()
    reason = reason.lstrip(":-\u2013\u2014 ").strip()
    return Suppression(rules, " ".join(reason.split())[:MAX_REASON])


def for_line(lines: list[str], number: int) -> list[Suppression]:
    """The suppressions that apply to line ``number`` (1-based) of ``lines``."""
    found = []
    if not 0 < number <= len(lines):  # a finding past the end of the file (it changed, or it is made up)
        return found
    if own := parse(lines[number - 1]):
        found.append(own)
    above = number - 1
    while above >= 1 and number - above <= MAX_COMMENT_BLOCK and COMMENT.match(lines[above - 1]):
        if suppression := parse(lines[above - 1]):
            found.append(suppression)
        above -= 1
    return found


def apply(findings: list[Finding], tree: SourceTree) -> int:
    """Mark every finding that a suppression covers; returns how many were marked."""
    lines_by_file: dict[str, list[str]] = {}
    marked = 0
    for finding in findings:
        if finding.file not in lines_by_file:
            lines_by_file[finding.file] = _lines(tree, finding.file)
        for suppression in for_line(lines_by_file[finding.file], finding.line):
            if suppression.covers(finding):
                finding.suppressed = True
                finding.suppression_reason = suppression.reason
                marked += 1
                break
    return marked


def _lines(tree: SourceTree, path: str) -> list[str]:
    try:
        return tree.read_text(path, limit=MAX_READ_BYTES).splitlines()
    except (OSError, PathRefused):
        return []
