"""Durability of a local review: kill -9 and resume, Ctrl-C and SIGTERM, killed reviewers, memory, configs.

The CLI runs as a real process here, so that it can be killed like a user's terminal would.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from aws_durable_execution_sdk_python.lambda_service import OperationStatus, OperationType

from framework.run import checkpoints, lifeline
from framework.run.workspace import Workspace
from tests.conftest import PROJECT, TEST_PLUGINS, touch


def configure(path: Path, **entries) -> Path:
    data = yaml.safe_load((PROJECT / "reviewers.yaml").read_text())
    data["reviewers"].update(entries)
    path.write_text(yaml.safe_dump(data))
    return path


def start(args, workspace: Path, config: Path) -> subprocess.Popen:
    env = {**os.environ, "CODEPANEL_WORKSPACE": str(workspace), "CODEPANEL_CONFIG": str(config), "NO_COLOR": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "framework", *args, *(["--no-progress"] if args[0] != "runs" or args[1] == "resume" else [])],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=PROJECT,
        preexec_fn=_interruptible,  # noqa: PLW1509 - started from the test's only thread
    )  # fmt: skip


def _interruptible() -> None:
    """Ctrl-C as at a terminal: a test run started in the background has SIGINT ignored, which children inherit."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def codepanel(args, workspace: Path, config: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    process = start(args, workspace, config)
    out, err = process.communicate(timeout=timeout)
    return subprocess.CompletedProcess(process.args, process.returncode, out.decode(), err.decode())


def only_run(workspace: Path):
    (run_id,) = Workspace(workspace).runs()
    return Workspace(workspace).run(run_id)


def wait_for(predicate, timeout: float = 120, what: str = "a condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def statuses(workspace: Path) -> dict[str, str]:
    runs = Workspace(workspace).runs()
    if not runs:
        return {}
    return {name: state.get("status") for name, state in Workspace(workspace).run(runs[0]).statuses().items()}


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return False
    return stat[stat.rfind(b")") + 2 :].split()[0] != b"Z"  # a zombie is dead, only not yet reaped


def assert_all_gone(pids: list[int], timeout: float = 5) -> None:
    wait_for(lambda: not [pid for pid in pids if alive(pid)], timeout, f"processes {pids} to end")


@pytest.fixture
def tree_config(tmp_path):
    """security and style, plus `tree`, which keeps a pool worker and a helper busy for 6 s."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "process_tree_reviewers.py").write_text((TEST_PLUGINS / "process_tree_reviewers.py").read_text())
    config = configure(tmp_path / "reviewers.yaml", tree={"plugin": "tree", "settings": {"seconds": 6}})
    return config, folder


def checkpointed(workspace) -> set[str]:
    """The reviewers whose invocation the run's execution has recorded as finished."""
    runs = Workspace(workspace).runs()
    if not runs or not checkpoints.store_path(run := Workspace(workspace).run(runs[0])).exists():
        return set()
    execution = checkpoints.execution_of(checkpoints.store_class()(checkpoints.store_path(run)), run)
    return {operation.name.removeprefix("review-") for operation in (execution.operations if execution else [])
            if operation.operation_type is OperationType.CHAINED_INVOKE
            and operation.status is OperationStatus.SUCCEEDED}  # fmt: skip


def tree_running(workspace):
    return statuses(workspace).get("tree") == "running" and checkpointed(workspace) == {"security", "style"}


def test_kill_9_then_resume_finishes_the_run_without_running_finished_reviewers_again(tree_config, repo, tmp_path):
    config, plugins = tree_config
    workspace = tmp_path / "ws"
    process = start(["review", str(repo), "--plugins-dir", str(plugins), "--no-cache"], workspace, config)
    wait_for(lambda: tree_running(workspace), what="security and style to finish")
    tree = lifeline.descendants(process.pid)
    assert len(tree) >= 4  # the tree reviewer, its watcher, its pool worker and its helper
    process.kill()
    process.wait()
    assert_all_gone(tree)  # nothing of the review outlives it, kill -9 included

    run = only_run(workspace)
    assert checkpoints.state(run) is checkpoints.RunState.INTERRUPTED
    listed = json.loads(codepanel(["runs", "list", "--json"], workspace, config).stdout)
    assert [(row["run_id"], row["status"], row["resumable"]) for row in listed] == [(run.id, "interrupted", True)]
    started = {name: json.loads(run.results_path(name).read_text())["started"] for name in ("security", "style")}

    # The shared config changes meanwhile: the resumed run still reads its own copy.
    configure(config, tree={"plugin": "tree", "settings": {"seconds": 0}}, style={"plugin": "style", "enabled": False})
    resumed = codepanel(["runs", "resume", run.id], workspace, config)
    assert resumed.returncode == 0, resumed.stderr
    assert f"Resuming run {run.id}" in resumed.stderr
    summary = json.loads(run.summary_path.read_text())
    assert {name: entry["status"] for name, entry in summary["reviewers"].items()} == {
        "security": "ok", "style": "ok", "tree": "ok"}  # fmt: skip
    assert json.loads(run.results_path("tree").read_text())["duration"] >= 6
    # The reviewers that had finished were not run again: their results are the first ones.
    assert {name: json.loads(run.results_path(name).read_text())["started"] for name in started} == started
    assert statuses(workspace) == {"security": "ok", "style": "ok", "tree": "ok"}

    # Its findings are those of a review that nobody interrupted.
    other = tmp_path / "ws2"
    configure(config, tree={"plugin": "tree", "settings": {"seconds": 0}})
    assert codepanel(["review", str(repo), "--plugins-dir", str(plugins), "--no-cache"], other, config).returncode == 0
    assert fingerprints(only_run(other)) == fingerprints(run) != set()

    again = codepanel(["runs", "resume", run.id], workspace, config)
    assert again.returncode == 2
    assert again.stderr.strip().splitlines()[-1] == (
        f"error: run {run.id} cannot be resumed: it has finished (`codepanel runs show {run.id}`)")


def fingerprints(run) -> set[tuple]:
    return {(item["reviewer"], item["rule_id"], item["file"], item["line"], item["fingerprint"])
            for item in json.loads((run.dir / "findings.json").read_text())}  # fmt: skip


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_and_sigterm_stop_every_process_and_leave_the_run_resumable(signum, tree_config, repo, tmp_path):
    config, plugins = tree_config
    workspace = tmp_path / "ws"
    process = start(["review", str(repo), "--plugins-dir", str(plugins), "--no-cache"], workspace, config)
    wait_for(lambda: tree_running(workspace), what="the tree reviewer to start")
    tree = lifeline.descendants(process.pid)
    process.send_signal(signum)
    _, err = process.communicate(timeout=30)
    run = only_run(workspace)
    assert process.returncode == 128 + signum
    assert err.decode().strip().splitlines()[-1] == (
        f"error: interrupted by {signal.Signals(signum).name}: run {run.id} is kept; "
        f"`codepanel runs resume {run.id}` continues it"
    )
    assert_all_gone(tree)
    assert checkpoints.state(run) is checkpoints.RunState.INTERRUPTED
    assert statuses(workspace) == {"security": "ok", "style": "ok", "tree": "interrupted"}


def test_a_killed_reviewer_is_failed_with_its_signal_though_its_pool_worker_lives_on(tmp_path, repo):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "process_tree_reviewers.py").write_text((TEST_PLUGINS / "process_tree_reviewers.py").read_text())
    config = configure(tmp_path / "reviewers.yaml", orphaning={"plugin": "orphaning", "timeout": 120})
    workspace = tmp_path / "ws"
    done = codepanel(["review", str(repo), "--plugins-dir", str(folder), "-r", "orphaning,security"], workspace, config)
    assert done.returncode == 3, done.stderr
    run = only_run(workspace)
    summary = json.loads(run.summary_path.read_text())
    entry = summary["reviewers"]["orphaning"]
    assert (entry["status"], entry["error"]) == ("failed", "the reviewer process was killed by SIGKILL")
    assert summary["duration"] < 60  # reported when it died, not at its 120 s timeout
    assert statuses(workspace)["orphaning"] == "failed"
    assert summary["reviewers"]["security"]["status"] == "ok"


def test_memory_bounds_a_reviewer_process_locally(tmp_path, repo):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "process_tree_reviewers.py").write_text((TEST_PLUGINS / "process_tree_reviewers.py").read_text())
    config = configure(
        tmp_path / "reviewers.yaml",
        hungry={"plugin": "hungry", "memory": 256, "settings": {"mb": 1024}},
        fed={"plugin": "hungry", "memory": 512, "settings": {"mb": 64}},
    )  # fmt: skip
    workspace = tmp_path / "ws"
    done = codepanel(["review", str(repo), "--plugins-dir", str(folder), "-r", "hungry,fed"], workspace, config)
    summary = json.loads(only_run(workspace).summary_path.read_text())
    assert done.returncode == 3, done.stderr
    assert summary["reviewers"]["hungry"]["status"] == "failed"
    assert summary["reviewers"]["hungry"]["error"] == "MemoryError: the reviewer ran out of memory (memory: 256 MB)"
    assert summary["reviewers"]["fed"]["status"] == "ok"


def test_concurrent_reviews_with_different_configs_each_read_their_own(tmp_path, repo):
    configs = {
        "security": configure(tmp_path / "a.yaml", style={"plugin": "style", "enabled": False}),
        "style": configure(tmp_path / "b.yaml", security={"plugin": "security", "enabled": False}),
    }
    workspace = tmp_path / "ws"
    for _ in range(2):
        started = {name: start(["review", str(repo), "--format", "json"], workspace, config)
                   for name, config in configs.items()}  # fmt: skip
        for name, process in started.items():
            out, err = process.communicate(timeout=300)
            assert process.returncode == 0, err
            report = json.loads(out)
            assert list(report["summary"]["reviewers"]) == [name]
            run = Workspace(workspace).run(report["summary"]["run_id"])
            assert run.config_path.read_text() == configs[name].read_text()
    assert not (workspace / "config" / "reviewers.yaml").exists()  # nothing is published to the shared file


def test_a_read_only_workspace_is_one_line_and_exit_2_before_the_review(cli, repo, workspace, monkeypatch):
    from framework.run import workspace as workspace_module

    def refuse(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(workspace_module.tempfile, "mkstemp", refuse)
    result = cli("review", str(repo), "--no-progress")
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        f"error: workspace {workspace} is not writable: Read-only file system")
    assert not (workspace / "runs").exists()


def test_a_full_disk_is_one_line_and_exit_2_before_the_review(cli, repo, workspace, monkeypatch):
    from framework.run import workspace as workspace_module

    monkeypatch.setattr(workspace_module.shutil, "disk_usage", lambda path: shutil_usage(free=5 * 1024 * 1024))
    result = cli("review", str(repo), "--no-progress")
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        f"error: workspace {workspace}: the disk is full (5 MB free, a review needs 64 MB)")


def shutil_usage(free: int):
    import shutil

    return shutil._ntuple_diskusage(total=10 * free, used=9 * free, free=free)


def test_an_output_into_a_missing_folder_fails_before_the_review(cli, repo, workspace, tmp_path):
    result = cli("review", str(repo), "-o", str(tmp_path / "nowhere" / "report.md"), "--no-progress")
    assert result.exit_code == 2
    assert result.output.strip() == f"error: -o {tmp_path / 'nowhere' / 'report.md'}: no such directory: {tmp_path / 'nowhere'}"
    assert not (workspace / "runs").exists()


def test_a_disk_that_fills_mid_run_fails_the_run_in_one_line_with_nothing_half_written(
    cli, repo, workspace, monkeypatch
):
    from framework.reports import writer

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "write_all", full)
    result = cli("review", str(repo), "--no-progress", "--no-cache")
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith("error: review failed: ")
    assert "No space left on device" in result.output and "Traceback" not in result.output
    run = only_run(workspace)
    assert not run.summary_path.exists()
    assert {state["status"] for state in run.statuses().values()} == {"ok"}  # nothing left running
    assert not [path for path in run.dir.rglob("*.tmp")]


def test_leftover_temporary_files_are_cleaned_at_the_next_review(cli, repo, workspace):
    assert cli("review", str(repo), "--no-progress").exit_code == 0
    run = only_run(workspace)
    leftovers = [run.dir / ".summary.json.k2x9_q1z.tmp", run.dir / "results" / ".style.json.abcdefgh.tmp"]
    kept = run.source_dir / ".notes.txt.abcdefgh.tmp"  # the repository's own file, in the snapshot
    cache = workspace / "cache" / ".security-x.json.abcdefgh.tmp"
    young = run.dir / ".request.json.youngtmp.tmp"  # maybe a write of a run not yet locked: kept a minute
    for path in (*leftovers, kept, cache, young):
        path.write_bytes(b"half")
    old = time.time() - 3600
    for path in (*leftovers, cache):
        os.utime(path, (old, old))
    touch(repo)  # a review that runs: an untouched tree is answered by the run before
    assert cli("review", str(repo), "--no-progress").exit_code == 0
    assert [path.exists() for path in (*leftovers, kept, cache, young)] == [False, False, True, False, True]


def test_a_reviewer_stopped_at_its_timeout_keeps_its_work_and_a_re_run_continues(tmp_path):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "process_tree_reviewers.py").write_text((TEST_PLUGINS / "process_tree_reviewers.py").read_text())
    config = configure(tmp_path / "reviewers.yaml", patient={"plugin": "patient", "timeout": 8})
    repo = tmp_path / "big"
    repo.mkdir()
    for index in range(500):  # one batch of analyze_files (cache.BATCH_FILES), then the slow file
        (repo / f"a{index:03}.py").write_text(f"x = {index}\n")
    (repo / "slow.py").write_text("y = 1\n")
    workspace = tmp_path / "ws"
    first = codepanel(["review", str(repo), "--plugins-dir", str(folder), "-r", "patient"], workspace, config)
    assert first.returncode == 3, first.stderr
    run = only_run(workspace)
    entry = json.loads(run.summary_path.read_text())["reviewers"]["patient"]
    assert entry["status"] == "timed_out"
    assert entry["error"] == (
        "Task timed out after 8.00 seconds (what it finished is kept in the result cache: a re-run continues from there)")

    (repo / "slow.py").rename(repo / "quick.py")
    second = codepanel(["review", str(repo), "--plugins-dir", str(folder), "-r", "patient"], workspace, config)
    assert second.returncode == 0, second.stderr
    (_, latest) = sorted(Workspace(workspace).runs())
    results = json.loads(Workspace(workspace).run(latest).results_path("patient").read_text())
    assert (results["cache"]["files_reused"], results["cache"]["files_analyzed"]) == (500, 1)
    assert len(results["findings"]) == 501
