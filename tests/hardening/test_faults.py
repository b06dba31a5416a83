"""Faults: killed reviewers, corrupt results, a full disk, concurrent runs, replays after failures.
Nothing already written is lost or corrupted, and the summary says exactly what failed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml
from aws_durable_execution_sdk_python_testing import DurableFunctionTestRunner

from framework.run import finish, orchestrator
from framework.run import reviewer_handler as review
from framework.run.workspace import Workspace, write_json
from tests.conftest import PROJECT


def declare(config_file, **entries):
    data = yaml.safe_load(config_file.read_text())
    data["reviewers"].update(entries)
    config_file.write_text(yaml.safe_dump(data))


def only_summary(workspace):
    (run,) = (workspace / "runs").iterdir()
    return json.loads((run / "summary.json").read_text()), run


def test_a_killed_reviewer_is_failed_with_the_signal_and_others_kept(cli, repo, workspace, config_file, plugins_folder):
    declare(config_file, killed={"plugin": "killed"})
    result = cli("review", str(repo), "--plugins-dir", str(plugins_folder("raising_reviewer")))
    assert result.exit_code == 3
    data, run = only_summary(workspace)
    assert data["reviewers"]["killed"]["status"] == "failed"
    assert data["reviewers"]["killed"]["error"] == "the reviewer process was killed by SIGKILL"
    assert data["reviewers"]["security"]["status"] == data["reviewers"]["style"]["status"] == "ok"
    assert json.loads((run / "results" / "security.json").read_text())["status"] == "ok"


@pytest.fixture
def published(workspace):
    ws = Workspace(workspace)
    ws.publish_config((PROJECT / "reviewers.yaml").read_text())
    return ws


def run_orchestrator(event, targets, handler=orchestrator.handler):
    with DurableFunctionTestRunner(handler=handler, poll_interval=0.05) as runner:
        for name, target in targets.items():
            runner.register_function(f"codepanel-reviewer-{name}", target)
        return runner.run(input=json.dumps(event), execution_timeout=120)


def test_corrupt_results_files_are_reported_not_trusted(published, repo):
    def corrupting(event, context):
        outcome = review.handler(event, context)
        results = published.run(event["run_id"]).results_path(event["reviewer"]["name"])
        results.write_text('{"findings": [')  # a half-written file, as a non-atomic writer would leave
        return outcome

    result = run_orchestrator(
        {"repository": str(repo), "workspace": str(published.root)},
        {"security": review.handler, "style": corrupting},
    )
    data = json.loads(result.result)
    assert data["reviewers"]["style"] == {**data["reviewers"]["style"], "status": "failed",
                                          "error": "the results file is not valid JSON"}
    assert data["reviewers"]["security"]["status"] == "ok" and data["counts"]["by_reviewer"]["security"] == 2


def test_replays_never_run_a_finished_reviewer_again(published, repo, monkeypatch):
    calls = {"security": 0, "style": 0, "orchestrator": 0, "aggregate": 0}

    def counting(name):
        def target(event, context):
            calls[name] += 1
            return review.handler(event, context)
        return target

    real_finish = finish.finish_run

    def flaky_finish(run, outcomes, error=None, plugins=None):
        calls["aggregate"] += 1
        if calls["aggregate"] == 1:
            raise OSError(5, "Input/output error (a transient fault)")
        return real_finish(run, outcomes, error=error, plugins=plugins)

    monkeypatch.setattr(finish, "finish_run", flaky_finish)

    def handler(event, context):
        calls["orchestrator"] += 1
        return orchestrator.handler(event, context)

    result = run_orchestrator(
        {"repository": str(repo), "workspace": str(published.root)},
        {"security": counting("security"), "style": counting("style")},
        handler=handler,
    )
    data = json.loads(result.result)
    assert data["status"] == "ok"
    assert calls["security"] == calls["style"] == 1
    assert calls["aggregate"] == 2
    assert calls["orchestrator"] >= 3  # started, resumed after the reviewers, resumed after the retry


def test_a_full_disk_never_corrupts_what_was_written(tmp_path):
    target = tmp_path / "results" / "style.json"
    write_json(target, {"findings": [1, 2, 3]})
    # A real write failure: the child may not write files larger than 64 bytes (EFBIG, like ENOSPC).
    program = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))\n"
        "from pathlib import Path\n"
        "from framework.run.workspace import write_json\n"
        "try:\n"
        f"    write_json(Path({str(target)!r}), {{'findings': ['x' * 1000]}})\n"
        "except OSError as error:\n"
        "    print('failed', error.errno)\n"
    )
    completed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                               env={**os.environ, "PYTHONPATH": str(PROJECT)}, timeout=60)
    assert completed.stdout.startswith("failed"), completed.stderr
    assert json.loads(target.read_text()) == {"findings": [1, 2, 3]}
    assert sorted(path.name for path in target.parent.iterdir()) == ["style.json"]


def test_two_reviews_of_one_repository_at_once(repo, tmp_path, config_file):
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "CODEPANEL_CONFIG": str(config_file), "NO_COLOR": "1"}
    workspace = tmp_path / "shared-ws"

    def review_once(_):
        return subprocess.run([sys.executable, "-m", "framework", "review", str(repo), "-w", str(workspace),
                               "-f", "json"], env=env, capture_output=True, text=True, timeout=300)

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(review_once, range(2))
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    one, two = json.loads(first.stdout), json.loads(second.stdout)
    assert one["summary"]["run_id"] != two["summary"]["run_id"]
    for document in (one, two):
        run = workspace / "runs" / document["summary"]["run_id"]
        assert json.loads((run / "summary.json").read_text())["counts"] == document["summary"]["counts"]
    assert one["summary"]["counts"] == two["summary"]["counts"]
    assert one["summary"]["counts"]["by_reviewer"]["security"] == 2


def test_credentials_in_a_url_never_reach_the_run_files(published):
    secret = "hunter2-token"
    result = run_orchestrator(
        {"repository": f"https://user:{secret}@evil.example/o/r.git", "workspace": str(published.root)}, {}
    )
    data = json.loads(result.result)
    assert data["status"] == "failed" and data["repository"] == "https://evil.example/o/r.git"
    run = published.run(data["run_id"])
    written = "".join(path.read_text() for path in run.dir.rglob("*") if path.is_file())
    assert secret not in written and "user:" not in written
