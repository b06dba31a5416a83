"""Aggregating a run: read every reviewer's results, count, and write the summary and reports."""

from __future__ import annotations

import json
import time
from typing import Any

from framework.findings import SEVERITIES, Finding, sort_key
from framework.workspace import Run, read_json, write_atomic, write_json

STATUSES = ("ok", "partial", "failed", "timed_out", "skipped")


def finish(run: Run, outcomes: list[dict[str, Any]], error: str | None = None) -> dict[str, Any]:
    """Write ``summary.json``, ``findings.json`` and ``report.md``; return the summary."""
    from framework import report  # the Markdown renderer; kept out of the reviewer path

    request = _read_optional(run.request_path) or {}
    manifest = _read_optional(run.manifest_path) or {}
    reviewers: dict[str, dict[str, Any]] = {}
    findings: list[Finding] = []
    for outcome in outcomes:
        entry, found = _reviewer_entry(run, outcome)
        reviewers[outcome["reviewer"]] = entry
        findings.extend(found)
    findings.sort(key=sort_key)
    shown = [finding for finding in findings if finding.verdict != "rejected"]
    started = request.get("started") or time.time()
    totals = manifest.get("totals", {})
    data = {
        "run_id": run.id,
        "repository": request.get("repository"),
        "commit": manifest.get("commit"),
        "status": _run_status(reviewers, error),
        "error": error,
        "started": started,
        "finished": time.time(),
        "duration": round(time.time() - started, 3),
        "files_reviewed": totals.get("files", 0),
        "files_skipped": totals.get("skipped", 0),
        "reviewers": reviewers,
        "counts": {
            "total": len(shown),
            "by_severity": {level: sum(f.severity == level for f in shown) for level in SEVERITIES},
            "by_reviewer": {name: sum(f.reviewer == name for f in shown) for name in reviewers},
            "rejected": len(findings) - len(shown),
        },
        "usage": _total_usage(reviewers),
        "reports": {
            "summary": run.relative(run.summary_path),
            "findings": run.relative(run.dir / "findings.json"),
            "markdown": run.relative(run.dir / "report.md"),
        },
    }
    if error is None:
        del data["error"]
    write_json(run.dir / "findings.json", [finding.to_dict() for finding in findings])
    write_atomic(run.dir / "report.md", report.markdown(data, findings))
    write_json(run.summary_path, data)
    return data


def _reviewer_entry(run: Run, outcome: dict[str, Any]) -> tuple[dict[str, Any], list[Finding]]:
    name = outcome["reviewer"]
    entry: dict[str, Any] = {"status": outcome.get("status", "failed")}
    results = _read_optional(run.results_path(name))
    if results is None and entry["status"] == "ok":
        entry.update(status="failed", error="the reviewer reported success but wrote no results")
    findings: list[Finding] = []
    if isinstance(results, dict):
        entry["duration"] = results.get("duration")
        entry["model"] = results.get("model")
        for key in ("files_reviewed", "usage", "notes", "version", "skipped"):
            if key in results:
                entry[key] = results[key]
        if entry["status"] == "ok" and results.get("status") in STATUSES:
            entry["status"] = results["status"]
        if results.get("error"):
            entry["error"] = results["error"]
        try:
            findings = [Finding.from_dict(item) for item in results.get("findings", [])]
        except (TypeError, ValueError) as problem:
            entry.update(status="failed", error=f"invalid results file: {problem}")
            findings = []
    elif results is _INVALID:
        entry.update(status="failed", error="the results file is not valid JSON")
    elif results is not None:
        entry.update(status="failed", error="the results file is not a JSON object")
    if outcome.get("error") and "error" not in entry:
        entry["error"] = outcome["error"]
    if entry.get("duration") is None:
        entry["duration"] = outcome.get("duration")
    entry["findings"] = sum(finding.verdict != "rejected" for finding in findings)
    return entry, findings


def _read_optional(path) -> Any:
    if not path.exists():
        return None
    try:
        return read_json(path)
    except Exception:  # noqa: BLE001 - a corrupt file is reported by the caller as a failure
        return _INVALID


_INVALID = "<invalid JSON>"


def _run_status(reviewers: dict[str, dict[str, Any]], error: str | None) -> str:
    if error:
        return "failed"
    if any(entry["status"] != "ok" for entry in reviewers.values()):
        return "incomplete"
    return "ok"


def _total_usage(reviewers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {}
    for entry in reviewers.values():
        for key, value in (entry.get("usage") or {}).items():
            if isinstance(value, (int, float)):
                total[key] = round(total.get(key, 0) + value, 6)
    return total


def load_findings(run: Run) -> list[Finding]:
    path = run.dir / "findings.json"
    return [Finding.from_dict(item) for item in json.loads(path.read_text(encoding="utf-8"))]
