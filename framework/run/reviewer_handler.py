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
from framework.run import cache
from framework.run.workspace import Run, Workspace, read_json, write_json
from framework.tree import SourceTree
from framework.triage import diff


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Lambda entry point: run the reviewer that ``event`` names and return a short outcome."""
    # On AWS the workspace is the mount in the function's environment, whatever the event says.
    workspace = Workspace(None if environment.running_on_lambda() else event.get("workspace"))
    run = workspace.run(event["run_id"])
    reviewer = _reviewer_config(event, workspace)
    return run_reviewer(run, reviewer)


def _reviewer_config(event: dict[str, Any], workspace: Workspace) -> ReviewerConfig:
    if isinstance(event.get("reviewer"), dict):
        return ReviewerConfig.model_validate(event["reviewer"])
    from framework import config

    name = event.get("reviewer") or environment.reviewer()
    published = config.parse(workspace.read_config_text(), str(workspace.config_path))
    return published.select([name])[0]


def run_reviewer(run: Run, reviewer: ReviewerConfig) -> dict[str, Any]:
    """Run ``reviewer`` on ``run``; the results file is written whatever happens."""
    started = time.time()
    run.set_status(reviewer.name, "running", started=started)
    results: dict[str, Any] = {
        "reviewer": reviewer.name,
        "plugin": reviewer.plugin,
        "status": "failed",
        "model": reviewer.model.label(),
        "started": started,
        "findings": [],
    }
    try:
        outcome = _review(run, reviewer)
        results.update(outcome, status=outcome.get("status", "ok"))
    except Exception as error:
        results["error"] = describe(error)
        results["traceback"] = traceback.format_exc(limit=8)
        raise
    finally:
        results["duration"] = round(time.time() - started, 3)
        write_json(run.results_path(reviewer.name), results)
        run.set_status(
            reviewer.name, results["status"], duration=results["duration"],
            findings=len(results["findings"]),
        )  # fmt: skip
    return {
        "reviewer": reviewer.name,
        "status": results["status"],
        "findings": len(results["findings"]),
        "duration": results["duration"],
        "results": run.relative(run.results_path(reviewer.name)),
    }


def _review(run: Run, reviewer: ReviewerConfig) -> dict[str, Any]:
    deadline = time.monotonic() + reviewer.timeout
    registered = plugin_loader.load().get(reviewer.plugin)
    instance = registered.cls()
    manifest = run.manifest()
    request = read_json(run.request_path) if run.request_path.exists() else {}
    files = diff.in_scope([entry["path"] for entry in manifest["included"]], request.get("diff"))
    in_scope = len(files)
    files = files[: reviewer.limits.max_files]
    tree = SourceTree(run.source_dir, files, reviewer.limits.max_file_bytes)
    outcome: dict[str, Any] = {"version": registered.cls.version, "files_reviewed": len(files)}
    if in_scope > len(files):
        outcome["notes"] = [f"reviewed the first {len(files)} files (limits.max_files)"]
    cache_dir = cache.directory(run.workspace) if request.get("cache", True) else None
    last = cache.LastResult(cache_dir, instance, reviewer, tree) if cache_dir and reviewer.model.offline else None
    if last is not None and (remembered := last.recall()) is not None:
        stats = {"enabled": True, "files_analyzed": 0, "files_reused": len(files), "result": "reused"}
        return {**outcome, "cache": stats, "findings": remembered}
    found, outcome["cache"] = cache.analyze(instance, tree, reviewer, cache_dir, last.hashes if last else None)
    findings = [_own(finding, reviewer.name) for finding in found]
    # Files a reviewer could not analyze (syntax errors, encodings...), as {"path", "reason"}.
    if getattr(instance, "skipped", None):
        outcome["skipped"] = list(instance.skipped)
    if not reviewer.model.offline:
        from framework.agents.agent import (
            review_with_agent,  # imports Strands: only when a model is used
        )

        agent_outcome = review_with_agent(instance, reviewer, tree, findings, deadline=deadline)
        findings = agent_outcome.pop("findings")
        notes = outcome.get("notes", []) + agent_outcome.pop("notes", [])
        outcome.update(agent_outcome, **({"notes": notes} if notes else {}))
    assign_fingerprints(findings, tree)
    findings.sort(key=sort_key)
    outcome["findings"] = [finding.to_dict() for finding in findings]
    if last is not None:
        last.remember(outcome["findings"])
    return outcome


def _own(finding: Finding, reviewer_name: str) -> Finding:
    if not isinstance(finding, Finding):
        raise CodepanelError(f"reviewer {reviewer_name!r} yielded {type(finding).__name__}, not a Finding")
    finding.reviewer = reviewer_name
    return finding


def main() -> int:
    """``python -m framework.review``: the event on stdin, the outcome as JSON on stdout.

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
