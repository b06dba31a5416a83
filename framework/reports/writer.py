"""Writing a finished run's reports into its folder, and the JSON report the CLI prints.

``findings.json`` (every finding, hidden ones marked), ``report.md``, ``report.sarif`` and
``report.html``; each file is written atomically.
"""

from __future__ import annotations

import json

from framework.findings import Finding
from framework.run.summary import RunSummary
from framework.run.workspace import Run, write_atomic, write_json


def write_all(run: Run, summary: RunSummary, findings: list[Finding]) -> None:
    from framework.reports import html_report, markdown, sarif  # not needed to print a run's JSON

    write_json(run.dir / "findings.json", [finding.to_dict() for finding in findings])
    write_atomic(run.dir / "report.md", markdown.render(summary, findings))
    # Compact: GitHub takes at most 10 MB (compressed) of SARIF, and nobody reads it raw.
    sarif_text = json.dumps(sarif.log(summary, findings), ensure_ascii=False, separators=(",", ":"))
    write_atomic(run.dir / "report.sarif", sarif_text)
    write_atomic(run.dir / "report.html", html_report.render(summary, findings, run.source_dir))


def as_json(summary: RunSummary, findings: list[Finding]) -> str:
    """The summary and every finding, as `codepanel review --format json` prints them."""
    return json.dumps(
        {"summary": summary.to_json(), "findings": [finding.to_dict() for finding in findings]},
        indent=2,
        ensure_ascii=False,
    )
