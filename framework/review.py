"""The reviewer handler: run one reviewer over one run's source and write its results.

The same ``handler`` is the Lambda entry point of every reviewer function on AWS and the invoke
target that the local runner starts, one process per reviewer. Event::

    {"run_id": "...", "reviewer": {<a ReviewerConfig>}, "workspace": "/optional/override"}

On AWS the reviewer's name may also come from $CODEPANEL_REVIEWER, and the workspace from
$CODEPANEL_WORKSPACE (the S3 Files mount). Offline, this module imports neither Strands nor boto3.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from typing import Any

from framework import plugins as plugin_loader
from framework.config import ReviewerConfig
from framework.errors import CodepanelError
from framework.findings import Finding, assign_fingerprints, sort_key
from framework.tree import SourceTree
from framework.workspace import Run, Workspace, write_json

REVIEWER_ENV = "CODEPANEL_REVIEWER"


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Lambda entry point: run the reviewer that ``event`` names and return a short outcome."""
    workspace = Workspace(event.get("workspace"))
    run = workspace.run(event["run_id"])
    reviewer = _reviewer_config(event, workspace)
    return run_reviewer(run, reviewer)


def _reviewer_config(event: dict[str, Any], workspace: Workspace) -> ReviewerConfig:
    if isinstance(event.get("reviewer"), dict):
        return ReviewerConfig.model_validate(event["reviewer"])
    from framework import config

    name = event.get("reviewer") or os.environ.get(REVIEWER_ENV)
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
        results["error"] = _one_line(error)
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
    registered = plugin_loader.load().get(reviewer.plugin)
    instance = registered.cls()
    manifest = run.manifest()
    files = [entry["path"] for entry in manifest["included"]][: reviewer.limits.max_files]
    tree = SourceTree(run.source_dir, files, reviewer.limits.max_file_bytes)
    findings = [_own(finding, reviewer.name) for finding in instance.analyze(tree, reviewer.settings)]
    outcome: dict[str, Any] = {"version": registered.cls.version, "files_reviewed": len(files)}
    if len(manifest["included"]) > len(files):
        outcome["notes"] = [f"reviewed the first {len(files)} files (limits.max_files)"]
    # Files a reviewer could not analyze (syntax errors, encodings...), as {"path", "reason"}.
    if getattr(instance, "skipped", None):
        outcome["skipped"] = list(instance.skipped)
    if not reviewer.model.offline:
        from framework.agent import review_with_agent  # imports Strands: only when a model is used

        agent_outcome = review_with_agent(instance, reviewer, tree, findings)
        findings = agent_outcome.pop("findings")
        outcome.update(agent_outcome)
    assign_fingerprints(findings, tree)
    findings.sort(key=sort_key)
    outcome["findings"] = [finding.to_dict() for finding in findings]
    return outcome


def _own(finding: Finding, reviewer_name: str) -> Finding:
    if not isinstance(finding, Finding):
        raise CodepanelError(f"reviewer {reviewer_name!r} yielded {type(finding).__name__}, not a Finding")
    finding.reviewer = reviewer_name
    return finding


def _one_line(error: BaseException) -> str:
    return " ".join(f"{type(error).__name__}: {error}".split())[:500]


def main() -> int:
    """``python -m framework.review``: the event on stdin, the outcome as JSON on stdout.

    The local runner starts one such process per reviewer, so a reviewer that hangs can be
    killed at its timeout, as Lambda would, and reviewers run on all cores.
    """
    event = json.loads(sys.stdin.read())
    try:
        outcome = handler(event)
    except Exception as error:  # noqa: BLE001 - reported to the orchestrator as the failure
        print(json.dumps({"error": _one_line(error)}))
        return 1
    print(json.dumps(outcome))
    return 0


if __name__ == "__main__":
    sys.exit(main())
