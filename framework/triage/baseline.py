"""Baselines: the findings a project already knows of, so that later reviews report only new ones.

``codepanel baseline create PATH -o FILE`` reviews PATH and writes the fingerprint of every
reported finding to FILE (with its rule, file and message, so that the file reads well in a
review). ``codepanel review PATH --baseline FILE`` then marks each finding as ``"unchanged"``
(its fingerprint is in FILE: hidden from the reports and from ``--fail-on``) or ``"new"``.
Fingerprints leave line numbers out, so lines moving around do not make old findings new.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from framework.errors import CodepanelError
from framework.findings import Finding

if TYPE_CHECKING:
    from framework.run.summary import RunSummary
from framework.run.workspace import write_atomic

FORMAT = "codepanel-baseline"
VERSION = 1
DEFAULT_FILE = ".codepanel-baseline.json"


class BaselineError(CodepanelError):
    """A baseline file that is missing or is not one."""


def build(summary: RunSummary, findings: list[Finding]) -> dict[str, Any]:
    """The baseline of a finished review: every finding it reports."""
    entries = [
        {"fingerprint": f.fingerprint, "reviewer": f.reviewer, "rule_id": f.rule_id, "file": f.file,
         "line": f.line, "message": f.message}
        for f in sorted(findings, key=lambda f: (f.file, f.line, f.reviewer, f.rule_id))
        if not f.hidden and not f.suppressed
    ]  # fmt: skip
    return {
        "format": FORMAT,
        "version": VERSION,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "repository": summary.repository,
        "run_id": summary.run_id,
        "findings": entries,
    }


def write(path: str | os.PathLike[str], summary: RunSummary, findings: list[Finding]) -> int:
    """Write the baseline of a review to ``path``; returns how many findings it holds."""
    data = build(summary, findings)
    # 0644: a baseline is committed with the project and read by CI and by the cloud.
    write_atomic(Path(path), json.dumps(data, indent=2, ensure_ascii=False) + "\n", mode=0o644)
    return len(data["findings"])


def load(path: str | os.PathLike[str]) -> set[str]:
    """The fingerprints a baseline file holds."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"{path}: cannot read the baseline: {error}") from None
    except ValueError as error:
        raise BaselineError(f"{path}: the baseline is not valid JSON: {error}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BaselineError(f'{path}: not a codepanel baseline (expected "format": "{FORMAT}")')
    if data.get("version") != VERSION:
        raise BaselineError(f"{path}: version: expected {VERSION}, got {data.get('version')!r}")
    entries = data.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str) for entry in entries
    ):
        raise BaselineError(f"{path}: findings: expected a list of objects with a fingerprint")
    return {entry["fingerprint"] for entry in entries}


def apply(findings: list[Finding], known: set[str]) -> dict[str, int]:
    """Mark each finding new or unchanged; returns the counts, and how many known ones are gone."""
    seen = set()
    counts = {"new": 0, "unchanged": 0}
    for finding in findings:
        finding.baseline_state = "unchanged" if finding.fingerprint in known else "new"
        if not finding.hidden and not finding.suppressed:
            counts[finding.baseline_state] += 1
        seen.add(finding.fingerprint)
    counts["absent"] = len(known - seen)
    return counts
