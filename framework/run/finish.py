"""The end of a run: read every reviewer's results, triage, aggregate, count, write the summary and reports."""

from __future__ import annotations

import json
import time
from typing import Any

from pydantic import ValidationError

from framework import plugins as plugin_loader
from framework.aggregators.runner import aggregate
from framework.config import ReviewerConfig
from framework.findings import SEVERITIES, Finding, confidence_rank, sort_key
from framework.run import coverage
from framework.run.outcome import ReviewerOutcome, ReviewerResults, Status
from framework.run.request import DEFAULT_MIN_CONFIDENCE, RunRequest
from framework.run.summary import Counts, ReviewerSummary, RunSummary
from framework.run.workspace import Run, read_json, write_json
from framework.triage.paths import PathScope

# The run's files, as the summary lists them.
REPORT_FILES = {
    "summary": "summary.json",
    "findings": "findings.json",
    "markdown": "report.md",
    "sarif": "report.sarif",
    "html": "report.html",
}


def finish_run(
    run: Run,
    outcomes: list[ReviewerOutcome],
    error: str | None = None,
    plugins: plugin_loader.Plugins | None = None,
) -> RunSummary:
    """Write ``summary.json``, ``findings.json`` and the reports; return the summary.

    ``plugins`` run the aggregators (by default this process's one load of them).
    """
    from framework.reports import writer  # the renderers; kept out of the reviewer path

    plugins = plugins or plugin_loader.shared()
    request = _request(run)
    manifest = _read_optional(run.manifest_path)
    manifest = manifest if isinstance(manifest, dict) else {}
    reviewers: dict[str, ReviewerSummary] = {}
    findings: list[Finding] = []
    problems = list(plugins.problems)
    for outcome in outcomes:
        entry, found, reported = _reviewer_entry(run, outcome)
        reviewers[outcome.reviewer] = entry
        findings.extend(found)
        problems += [problem for problem in reported if problem not in problems]
    findings.sort(key=sort_key)
    findings, triage, triage_error = _triage(run, request, findings)
    error = error or triage_error
    started = (request.started if request else None) or time.time()
    totals = manifest.get("totals", {})
    limits = [*coverage.source_limits_hit(manifest), *(line for entry in reviewers.values() for line in entry.limits_hit or [])]
    analyzed, uncovered = _coverage(run, manifest, plugins)
    summary = RunSummary(
        run_id=run.id,
        repository=request.repository if request else None,
        commit=manifest.get("commit"),
        status=_run_status(reviewers, error, limits, analyzed),
        started=started,
        files_reviewed=totals.get("files", 0),
        files_skipped=totals.get("skipped", 0),
        reviewers=reviewers,
        counts=_counts(findings, reviewers, triage["outside_diff"]),
        usage=_total_usage([entry.usage for entry in reviewers.values()]),
        reports={key: run.relative(run.dir / name) for key, name in REPORT_FILES.items()},
    )
    if error is not None:
        summary.error = error
    for key in ("diff", "baseline"):
        if key in triage:
            setattr(summary, key, triage[key])
    if problems:
        summary.plugin_problems = problems
    if limits:
        summary.limits_hit = limits
    if uncovered:
        summary.uncovered = uncovered
    aggregate(findings, summary, plugins, run, request.model if request else None)
    findings.sort(key=sort_key)
    summary.counts = _counts(findings, reviewers, triage["outside_diff"])
    summary.usage = _total_usage([*(entry.usage for entry in reviewers.values()), summary.aggregation.get("usage")])
    if tested := sum(finding.in_tests and finding.shown for finding in findings):
        summary.tests = {"mode": "rank", "findings": tested}
    writer.write_all(run, summary, findings)
    # NOTE: stamped after the reports, so that the duration covers the whole run.
    summary.finished = time.time()
    summary.duration = round(summary.finished - started, 3)
    write_json(run.summary_path, summary.to_json())
    return summary


def _coverage(run: Run, manifest: dict[str, Any], plugins: plugin_loader.Plugins) -> tuple[int, dict[str, int]]:
    """How many files some offline reviewer of the run analyzes, and the uncovered ones by language."""
    planned = _read_optional(run.dir / "reviewers.json")
    files = [entry["path"] for entry in manifest.get("included", [])]
    if not isinstance(planned, list):
        return len(files), {}
    reviewers = []
    for data in planned:
        entry = ReviewerConfig.model_validate(data)
        if not entry.model.offline:
            return len(files), {}  # an agent reads any file
        registered = plugins.reviewers.get(entry.plugin)
        covers = registered.cls.covers if registered else ("*",)
        reviewers.append((PathScope.of(entry.paths), tuple(covers)))
    return coverage.coverage(files, reviewers)


def _request(run: Run) -> RunRequest | None:
    data = _read_optional(run.request_path)
    try:
        return RunRequest.model_validate(data) if isinstance(data, dict) else None
    except ValidationError:
        return None


def _counts(findings: list[Finding], reviewers: dict[str, ReviewerSummary], outside_diff: int) -> Counts:
    """Counts of what reports show; also sets each reviewer's shown ``findings``."""
    shown = [finding for finding in findings if finding.shown]
    for name, entry in reviewers.items():
        entry.findings = sum(finding.reviewer == name for finding in shown)
    return Counts(
        total=len(shown),
        by_severity={level: sum(f.severity == level for f in shown) for level in SEVERITIES},
        by_reviewer={name: sum(f.reviewer == name for f in shown) for name in reviewers},
        rejected=sum(f.verdict == "rejected" for f in findings),
        duplicates=sum(f.verdict == "duplicate" for f in findings),
        suppressed=sum(f.suppressed and not f.hidden for f in findings),
        below_confidence=sum(f.below_confidence and not f.hidden and not f.suppressed for f in findings),
        baseline=sum(f.baseline_state == "unchanged" and not f.hidden and not f.suppressed for f in findings),
        outside_diff=outside_diff,
    )


def _triage(
    run: Run, request: RunRequest | None, findings: list[Finding]
) -> tuple[list[Finding], dict[str, Any], str | None]:
    """Keep the findings on a diff's changed lines, then mark inline suppressions and the baseline."""
    from framework.tree import SourceTree
    from framework.triage import baseline, diff, suppressions

    scope = request.diff if request else None
    kept = diff.keep_changed(findings, scope)
    facts: dict[str, Any] = {"outside_diff": len(findings) - len(kept)}
    if scope is not None:
        facts["diff"] = scope.facts()
    suppressions.apply(kept, SourceTree(run.source_dir, []))
    threshold = confidence_rank(request.min_confidence if request else DEFAULT_MIN_CONFIDENCE)
    for finding in kept:
        finding.below_confidence = confidence_rank(finding.confidence) < threshold
    error = None
    if request is not None and request.baseline:
        path = run.workspace.root / request.baseline  # an absolute path stays as it is
        try:
            counts = baseline.apply(kept, baseline.load(path))
            facts["baseline"] = {"file": str(path), **counts}
        except baseline.BaselineError as problem:
            error = str(problem)
    return kept, facts, error


def _reviewer_entry(run: Run, outcome: ReviewerOutcome) -> tuple[ReviewerSummary, list[Finding], list[str]]:
    """The summary line of one reviewer, its findings, and the plugin problems its process met."""
    entry = ReviewerSummary(status=outcome.status)
    data = _read_optional(run.results_path(outcome.reviewer))
    findings: list[Finding] = []
    problems: list[str] = []
    if data is None:
        if outcome.status == Status.OK:
            entry.status, entry.error = Status.FAILED, "the reviewer reported success but wrote no results"
    elif data is _INVALID:
        entry.status, entry.error = Status.FAILED, "the results file is not valid JSON"
    elif not isinstance(data, dict):
        entry.status, entry.error = Status.FAILED, "the results file is not a JSON object"
    else:
        try:
            results = ReviewerResults.model_validate({"reviewer": outcome.reviewer, **data})
            findings = [Finding.from_dict(item) for item in results.findings]
        except (TypeError, ValueError) as problem:
            entry.status, entry.error = Status.FAILED, f"invalid results file: {' '.join(str(problem).split())[:300]}"
        else:
            _copy_results(entry, results)
            problems = results.plugin_problems or []
    if outcome.error and entry.error is None:
        entry.error = outcome.error
    if entry.duration is None:
        entry.duration = outcome.duration
    return entry, findings, problems


def _copy_results(entry: ReviewerSummary, results: ReviewerResults) -> None:
    entry.duration = results.duration
    entry.model = results.model
    for key in ("files_reviewed", "files_out_of_scope", "limits_hit", "usage", "notes", "version", "cache", "skipped"):
        if (value := getattr(results, key)) is not None:
            setattr(entry, key, value)
    if entry.status == Status.OK:
        entry.status = results.status
    if results.error:
        entry.error = results.error


def _read_optional(path) -> Any:
    if not path.exists():
        return None
    try:
        return read_json(path)
    except Exception:  # noqa: BLE001 - a corrupt file is reported by the caller as a failure
        return _INVALID


_INVALID = "<invalid JSON>"


def _run_status(reviewers: dict[str, ReviewerSummary], error: str | None, limits: list[str], analyzed: int) -> Status:
    if error:
        return Status.FAILED
    if reviewers and not analyzed:
        return Status.EMPTY
    if limits or any(entry.status != Status.OK for entry in reviewers.values()):
        return Status.INCOMPLETE
    return Status.OK


def _total_usage(usages: list[dict[str, Any] | None]) -> dict[str, Any]:
    """Every numeric ``usage`` key summed over reviewers and aggregators.

    ``cost_complete`` is false when some model calls had no known price, so that the estimated
    cost is a lower bound.
    """
    total: dict[str, Any] = {}
    complete = True
    for usage in usages:
        usage = usage or {}
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
