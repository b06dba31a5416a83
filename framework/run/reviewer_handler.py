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
from dataclasses import dataclass
from pathlib import Path
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
    reviewer = _reviewer_config(event, run)
    return run_reviewer(run, reviewer).to_json()


def _reviewer_config(event: dict[str, Any], run: Run) -> ReviewerConfig:
    if isinstance(event.get("reviewer"), dict):
        return ReviewerConfig.model_validate(event["reviewer"])
    name = event.get("reviewer") or environment.reviewer()
    return run.config().select([name])[0]


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
        prepared = Prepared.of(run, reviewer, plugins, results)
        if not prepared.recall(results):
            _analyze(prepared, results)
    except Exception as error:
        results.status = Status.FAILED
        results.error = out_of_memory() if isinstance(error, MemoryError) else describe(error)
        results.traceback = traceback.format_exc(limit=8)
        raise
    finally:
        _write(run, plugins, results)
    return _outcome(run, results)


def reuse_cached(run: Run, reviewer: ReviewerConfig, plugins: plugin_loader.Plugins) -> ReviewerOutcome | None:
    """The reviewer's results from the cache, written as a run of it would, when its tree is unchanged.

    The orchestrator calls it before starting a reviewer, so that an unchanged tree starts no process.
    """
    if not reviewer.model.offline:
        return None
    results = ReviewerResults(
        reviewer=reviewer.name, plugin=reviewer.plugin, model=reviewer.model.label(), started=time.time()
    )
    try:
        if not Prepared.of(run, reviewer, plugins, results).recall(results):
            return None
    except Exception:  # noqa: BLE001 - the reviewer itself will run, and report what is wrong
        return None
    _write(run, plugins, results)
    return _outcome(run, results)


@dataclass
class Prepared:
    """One reviewer ready to run on one run: its instance, settings, files in scope and cache."""

    reviewer: ReviewerConfig
    instance: Any
    settings: Any
    tree: SourceTree
    scope: PathScope
    notes: list[str]
    status: Status
    cache_dir: Path | None
    known: dict[str, str]
    last: cache.LastResult | None

    @classmethod
    def of(cls, run: Run, reviewer: ReviewerConfig, plugins: plugin_loader.Plugins, results: ReviewerResults) -> Prepared:
        registered = plugins.get(reviewer.plugin)
        settings = check_settings(registered.cls, reviewer.name, reviewer.settings, "reviewers.yaml")
        instance = registered.cls()
        manifest = run.manifest()
        request = RunRequest.model_validate(read_json(run.request_path)) if run.request_path.exists() else None
        scope = PathScope.of(reviewer.paths)
        fetched = [entry["path"] for entry in manifest["included"]]
        in_scope = scope.select(fetched)
        files = diff.in_scope(in_scope, request and request.diff)
        limits = _limits_hit(reviewer, files, {entry["path"]: entry.get("bytes", 0) for entry in manifest["included"]})
        files = files[: reviewer.limits.max_files]
        tree = SourceTree(run.source_dir, files, reviewer.limits.max_file_bytes)
        results.version = str(registered.cls.version)
        results.files_reviewed = len(files)
        results.files_out_of_scope = len(fetched) - len(in_scope)
        results.limits_hit = limits or None
        cache_dir = cache.directory(run.workspace) if request is None or request.cache else None
        known = {entry["path"]: entry["sha256"] for entry in manifest["included"] if "sha256" in entry}
        last = cache.LastResult(cache_dir, instance, reviewer, tree, known) if cache_dir and reviewer.model.offline else None
        status = Status.PARTIAL if limits else Status.OK
        return cls(reviewer, instance, settings, tree, scope, list(limits), status, cache_dir, known, last)

    def recall(self, results: ReviewerResults) -> bool:
        """Fill ``results`` from the reviewer's last result for this very tree, if there is one."""
        remembered = self.last.recall() if self.last is not None else None
        if remembered is None:
            return False
        results.cache = {"enabled": True, "files_analyzed": 0, "files_reused": len(self.tree), "result": "reused"}
        results.skipped = remembered.get("skipped") or None
        results.findings = _mark_tests(remembered["findings"], self.scope)
        results.notes, results.status = self.notes or None, self.status
        return True


def _analyze(prepared: Prepared, results: ReviewerResults) -> None:
    reviewer, tree, known, last = prepared.reviewer, prepared.tree, prepared.known, prepared.last
    deadline = time.monotonic() + reviewer.timeout
    notes, status = prepared.notes, prepared.status
    hashes = last.hashes if last else ({path: known[path] for path in tree.files} if set(tree.files) <= known.keys() else None)
    found, results.cache = cache.analyze(prepared.instance, tree, reviewer, prepared.settings, prepared.cache_dir, hashes)
    findings = [_own(finding, reviewer.name) for finding in found]
    # Files a reviewer could not analyze (syntax errors, encodings...), as {"path", "reason"}.
    if getattr(prepared.instance, "skipped", None):
        results.skipped = list(prepared.instance.skipped)
    if not reviewer.model.offline:
        from framework.agents.agent import (
            review_with_agent,  # imports Strands: only when a model is used
        )

        agent_outcome = review_with_agent(prepared.instance, reviewer, tree, findings, deadline=deadline)
        findings = agent_outcome["findings"]
        notes += agent_outcome["notes"]
        results.agent, results.usage = agent_outcome["agent"], agent_outcome["usage"]
        if agent_outcome["status"] != Status.OK:
            status = Status(agent_outcome["status"])
    assign_fingerprints(findings, tree)
    findings.sort(key=sort_key)
    dumped = [finding.to_dict() for finding in findings]
    if last is not None:
        last.remember(dumped, results.skipped or [])
    results.findings, results.notes, results.status = _mark_tests(dumped, prepared.scope), notes or None, status


def _write(run: Run, plugins: plugin_loader.Plugins, results: ReviewerResults) -> None:
    results.duration = round(time.time() - results.started, 3)
    results.plugin_problems = list(plugins.problems) or None
    write_json(run.results_path(results.reviewer), results.to_json())
    run.set_status(results.reviewer, results.status, duration=results.duration, findings=len(results.findings))


def _outcome(run: Run, results: ReviewerResults) -> ReviewerOutcome:
    return ReviewerOutcome(
        reviewer=results.reviewer,
        status=results.status,
        findings=len(results.findings),
        duration=results.duration,
        results=run.relative(run.results_path(results.reviewer)),
    )


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
    killed at its timeout, as Lambda would, and reviewers run on all cores. Its process group
    dies with the review (``framework.run.lifeline``), and ``memory:`` bounds it as Lambda would.
    """
    from framework.run import lifeline

    lifeline.guard_group(environment.lifeline_fd())
    event = json.loads(sys.stdin.read())
    _MEMORY["limit"] = limit_memory(event)
    try:
        outcome = handler(event)
    except MemoryError:
        print(json.dumps({"error": out_of_memory()}))
        return 1
    except Exception as error:  # noqa: BLE001 - reported to the orchestrator as the failure
        print(json.dumps({"error": describe(error)}))
        return 1
    print(json.dumps(outcome))
    return 0


_MEMORY: dict[str, int | None] = {"limit": None}


def out_of_memory() -> str:
    limit = _MEMORY["limit"]
    return "MemoryError: the reviewer ran out of memory" + (f" (memory: {limit} MB)" if limit else "")


def limit_memory(event: dict[str, Any]) -> int | None:
    """Bound this process's data (heap and anonymous memory) at the reviewer's ``memory:``, in MB.

    The limit is inherited by the processes it starts (pool workers, ruff), each bounded alike.
    NOTE: RLIMIT_DATA rather than RLIMIT_AS, which also counts address space that is reserved but
    never used (thread stacks, allocator arenas) and would fail tools long before memory is short.
    """
    import resource

    memory = (event.get("reviewer") or {}).get("memory") if isinstance(event.get("reviewer"), dict) else None
    if not isinstance(memory, int) or memory <= 0:
        return None
    limit = memory * 1024 * 1024
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    except (ValueError, OSError):
        return None
    return memory


if __name__ == "__main__":
    sys.exit(main())
