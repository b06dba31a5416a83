"""The reviewer handler: run one reviewer over one run's source and write its results.

The same ``handler`` is the Lambda entry point of every reviewer function on AWS and the invoke
target that the local runner starts, one process per reviewer. Event::

    {"run_id": "...", "reviewer": {<a ReviewerConfig>}, "workspace": "/optional/override"}

On AWS the reviewer's name may also come from $CODEPANEL_REVIEWER, and the workspace from
$CODEPANEL_WORKSPACE (the S3 Files mount). Offline, this module imports neither Strands nor boto3.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from typing import Any

from framework import environment
from framework import plugins as plugin_loader
from framework.config import ReviewerConfig
from framework.errors import CodepanelError, describe
from framework.findings import Finding, assign_fingerprints, sort_key
from framework.panel import check_settings
from framework.run import cache
from framework.run.outcome import ReviewerOutcome, ReviewerResults, Status
from framework.run.request import RunRequest
from framework.run.workspace import Run, Workspace, read_json, write_json
from framework.tree import SourceTree
from framework.triage import diff
from framework.triage.paths import PathScope, is_test_path


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Lambda entry point: run the reviewer that ``event`` names and return a short outcome."""
    # On AWS the workspace is the mount in the function's environment, whatever the event says.
    workspace = Workspace(None if environment.running_on_lambda() else event.get("workspace"))
    run = workspace.run(event["run_id"])
    reviewer = _reviewer_config(event, workspace)
    return run_reviewer(run, reviewer).to_json()


def _reviewer_config(event: dict[str, Any], workspace: Workspace) -> ReviewerConfig:
    if isinstance(event.get("reviewer"), dict):
        return ReviewerConfig.model_validate(event["reviewer"])
    name = event.get("reviewer") or environment.reviewer()
    return workspace.published_config().select([name])[0]


def run_reviewer(
    run: Run, reviewer: ReviewerConfig, plugins: plugin_loader.Plugins | None = None
) -> ReviewerOutcome:
    """Run ``reviewer`` on ``run``; the results file is written whatever happens."""
    plugins = plugins or plugin_loader.shared()
    results = ReviewerResults(
        reviewer=reviewer.name, plugin=reviewer.plugin, model=reviewer.model.label(), started=time.time()
    )
    run.set_status(reviewer.name, Status.RUNNING, started=results.started)
    try:
        _review(run, reviewer, plugins, results)
    except Exception as error:
        results.status = Status.FAILED
        results.error = describe(error)
        results.traceback = traceback.format_exc(limit=8)
        raise
    finally:
        results.duration = round(time.time() - results.started, 3)
        results.plugin_problems = list(plugins.problems) or None
        write_json(run.results_path(reviewer.name), results.to_json())
        run.set_status(
            reviewer.name, results.status, duration=results.duration, findings=len(results.findings)
        )
    return ReviewerOutcome(
        reviewer=reviewer.name,
        status=results.status,
        findings=len(results.findings),
        duration=results.duration,
        results=run.relative(run.results_path(reviewer.name)),
    )


def _review(run: Run, reviewer: ReviewerConfig, plugins: plugin_loader.Plugins, results: ReviewerResults) -> None:
    deadline = time.monotonic() + reviewer.timeout
    registered = plugins.get(reviewer.plugin)
    settings = check_settings(registered.cls, reviewer.name, reviewer.settings, "reviewers.yaml")
    instance = registered.cls()
    manifest = run.manifest()
    request = RunRequest.model_validate(read_json(run.request_path)) if run.request_path.exists() else None
    scope = PathScope.of(reviewer.paths)
    fetched = [entry["path"] for entry in manifest["included"]]
    files = diff.in_scope(scope.select(fetched), request and request.diff)
    results.files_out_of_scope = len(fetched) - len(scope.select(fetched))
    limits = _limits_hit(reviewer, files, {entry["path"]: entry.get("bytes", 0) for entry in manifest["included"]})
    files = files[: reviewer.limits.max_files]
    tree = SourceTree(run.source_dir, files, reviewer.limits.max_file_bytes)
    results.version = str(registered.cls.version)
    results.files_reviewed = len(files)
    results.limits_hit = limits or None
    notes: list[str] = list(limits)
    status = Status.PARTIAL if limits else Status.OK
    cache_dir = cache.directory(run.workspace) if request is None or request.cache else None
    known = {entry["path"]: entry["sha256"] for entry in manifest["included"] if "sha256" in entry}
    last = cache.LastResult(cache_dir, instance, reviewer, tree, known) if cache_dir and reviewer.model.offline else None
    if last is not None and (remembered := last.recall()) is not None:
        results.cache = {"enabled": True, "files_analyzed": 0, "files_reused": len(files), "result": "reused"}
        results.findings, results.notes, results.status = _mark_tests(remembered, scope), notes or None, status
        return
    hashes = last.hashes if last else ({path: known[path] for path in files} if set(files) <= known.keys() else None)
    found, results.cache = cache.analyze(instance, tree, reviewer, settings, cache_dir, hashes)
    findings = [_own(finding, reviewer.name) for finding in found]
    # Files a reviewer could not analyze (syntax errors, encodings...), as {"path", "reason"}.
    if getattr(instance, "skipped", None):
        results.skipped = list(instance.skipped)
    if not reviewer.model.offline:
        from framework.agents.agent import (
            review_with_agent,  # imports Strands: only when a model is used
        )

        agent_outcome = review_with_agent(instance, reviewer, tree, findings, deadline=deadline)
        findings = agent_outcome["findings"]
        notes += agent_outcome["notes"]
        results.agent, results.usage = agent_outcome["agent"], agent_outcome["usage"]
        if agent_outcome["status"] != Status.OK:
            status = Status(agent_outcome["status"])
    assign_fingerprints(findings, tree)
    findings.sort(key=sort_key)
    dumped = [finding.to_dict() for finding in findings]
    if last is not None:
        last.remember(dumped)
    results.findings, results.notes, results.status = _mark_tests(dumped, scope), notes or None, status


def _limits_hit(reviewer: ReviewerConfig, files: list[str], sizes: dict[str, int]) -> list[str]:
    """What this reviewer's limits cut of the files in its scope, a sentence each."""
    hit = []
    if len(files) > reviewer.limits.max_files:
        hit.append(f"{reviewer.name}: limits.max_files ({reviewer.limits.max_files}): "
                   f"{reviewer.limits.max_files} of {len(files)} files reviewed")  # fmt: skip
    cut = sum(sizes.get(path, 0) > reviewer.limits.max_file_bytes for path in files[: reviewer.limits.max_files])
    if cut:
        hit.append(f"{reviewer.name}: limits.max_file_bytes ({reviewer.limits.max_file_bytes}): "
                   f"{cut} files read only in part")  # fmt: skip
    return hit


def _mark_tests(findings: list[dict[str, Any]], scope: PathScope) -> list[dict[str, Any]]:
    """Mark findings in test code when the reviewer's ``paths.tests`` ranks them (the default)."""
    for finding in findings:
        finding["in_tests"] = scope.tests == "rank" and is_test_path(finding["file"])
    return findings


def _own(finding: Finding, reviewer_name: str) -> Finding:
    if not isinstance(finding, Finding):
        raise CodepanelError(f"reviewer {reviewer_name!r} yielded {type(finding).__name__}, not a Finding")
    finding.reviewer = reviewer_name
    return finding


def main() -> int:
    """``python -m framework.run.reviewer_handler``: the event on stdin, the outcome as JSON on stdout.

    The local runner starts one such process per reviewer, so a reviewer that hangs can be
    killed at its timeout, as Lambda would, and reviewers run on all cores.
    """
    event = json.loads(sys.stdin.read())
    try:
        outcome = handler(event)
    except Exception as error:  # noqa: BLE001 - reported to the orchestrator as the failure
        print(json.dumps({"error": describe(error)}))
        return 1
    print(json.dumps(outcome))
    return 0


if __name__ == "__main__":
    sys.exit(main())
