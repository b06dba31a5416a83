"""Aggregating a run: read every reviewer's results, count, and write the summary and reports."""

from __future__ import annotations

import json
import time
from typing import Any

from framework.aggregators.runner import aggregate
from framework.findings import SEVERITIES, Finding, sort_key
from framework.run.workspace import Run, read_json, write_json

STATUSES = ("ok", "partial", "failed", "timed_out", "skipped")


def finish(run: Run, outcomes: list[dict[str, Any]], error: str | None = None) -> dict[str, Any]:
    """Write ``summary.json``, ``findings.json`` and the reports; return the summary."""
    from framework.reports import writer  # the renderers; kept out of the reviewer path

    request = _read_optional(run.request_path) or {}
    manifest = _read_optional(run.manifest_path) or {}
    reviewers: dict[str, dict[str, Any]] = {}
    findings: list[Finding] = []
    for outcome in outcomes:
        entry, found = _reviewer_entry(run, outcome)
        reviewers[outcome["reviewer"]] = entry
        findings.extend(found)
    findings.sort(key=sort_key)
    findings, triage, triage_error = _triage(run, request, findings)
    error = error or triage_error
    outside_diff = triage.pop("outside_diff")
    finished = time.time()
    started = request.get("started") or finished
    totals = manifest.get("totals", {})
    data = {
        "run_id": run.id,
        "repository": request.get("repository"),
        "commit": manifest.get("commit"),
        "status": _run_status(reviewers, error),
        "error": error,
        "started": started,
        "finished": finished,
        "duration": round(finished - started, 3),
        "files_reviewed": totals.get("files", 0),
        "files_skipped": totals.get("skipped", 0),
        "reviewers": reviewers,
        "counts": _counts(findings, reviewers, outside_diff),
        **triage,
        "usage": _total_usage(list(reviewers.values())),
        "reports": {
            "summary": run.relative(run.summary_path),
            "findings": run.relative(run.dir / "findings.json"),
            "markdown": run.relative(run.dir / "report.md"),
            "sarif": run.relative(run.dir / "report.sarif"),
            "html": run.relative(run.dir / "report.html"),
        },
    }  # fmt: skip
    if error is None:
        del data["error"]
    aggregate(run, findings, data, request)  # plugins: de-duplication, scores, executive summary
    findings.sort(key=sort_key)
    data["counts"] = _counts(findings, reviewers, outside_diff)
    data["usage"] = _total_usage([*reviewers.values(), data["aggregation"]])
    writer.write_all(run, data, findings)
    write_json(run.summary_path, data)
    return data


def _counts(findings: list[Finding], reviewers: dict[str, dict[str, Any]], outside_diff: int) -> dict[str, Any]:
    """Counts of what reports show; also sets each reviewer's shown ``findings``."""
    shown = [finding for finding in findings if finding.shown]
    for name, entry in reviewers.items():
        entry["findings"] = sum(finding.reviewer == name for finding in shown)
    return {
        "total": len(shown),
        "by_severity": {level: sum(f.severity == level for f in shown) for level in SEVERITIES},
        "by_reviewer": {name: sum(f.reviewer == name for f in shown) for name in reviewers},
        "rejected": sum(f.verdict == "rejected" for f in findings),
        "duplicates": sum(f.verdict == "duplicate" for f in findings),
        "suppressed": sum(f.suppressed and not f.hidden for f in findings),
        "baseline": sum(f.baseline_state == "unchanged" and not f.hidden and not f.suppressed for f in findings),
        "outside_diff": outside_diff,
    }


def _triage(
    run: Run, request: dict[str, Any], findings: list[Finding]
) -> tuple[list[Finding], dict[str, Any], str | None]:
    """Keep the findings on a diff's changed lines, then mark inline suppressions and the baseline."""
    from framework.tree import SourceTree
    from framework.triage import baseline, diff, suppressions

    facts: dict[str, Any] = {}
    scope = request.get("diff")
    kept = diff.keep_changed(findings, scope)
    facts["outside_diff"] = len(findings) - len(kept)
    if scope:
        facts["diff"] = {key: scope.get(key) for key in ("base", "commit", "whole_files")}
        facts["diff"]["files"] = len(scope.get("files", {}))
    suppressions.apply(kept, SourceTree(run.source_dir, []))
    error = None
    if request.get("baseline"):
        path = run.workspace.root / request["baseline"]  # an absolute path stays as it is
        try:
            counts = baseline.apply(kept, baseline.load(path))
            facts["baseline"] = {"file": str(path), **counts}
        except baseline.BaselineError as problem:
            error = str(problem)
    return kept, facts, error


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
        for key in ("files_reviewed", "usage", "notes", "version", "cache", "skipped"):
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


def _total_usage(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Every numeric ``usage`` key summed over reviewers and aggregators.

    ``cost_complete`` is false when some model calls had no known price, so that the estimated
    cost is a lower bound.
    """
    total: dict[str, Any] = {}
    complete = True
    for entry in entries:
        usage = entry.get("usage") or {}
        for key, value in usage.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                total[key] = round(total.get(key, 0) + value, 6)
        if usage.get("model_calls") and usage.get("estimated_cost_usd") is None:
            complete = False
    if total:
        total["cost_complete"] = complete
    return total


def load_findings(run: Run) -> list[Finding]:
    path = run.dir / "findings.json"
    return [Finding.from_dict(item) for item in json.loads(path.read_text(encoding="utf-8"))]
