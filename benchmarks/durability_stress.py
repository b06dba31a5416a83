"""Durability of local reviews under kills and signals; prints figures.

    python benchmarks/durability_stress.py [--kills 20] [--signals 3] [--pairs 20] [--seed 14]

1. Random kills: ``--kills`` times, a real review of pip's source (security and style, no cache)
   is killed with SIGKILL at a random moment after its run began, then ``codepanel runs resume`` finishes it. Each is
   compared with an uninterrupted review: identical findings, no process of the review left, and
   the reviewers whose invocation the run had checkpointed were not run again (their results'
   start times are unchanged).
2. Signals: SIGINT and SIGTERM ``--signals`` times each while reviewers run: the exit code, the
   one line, and the processes of the review left afterwards.
3. A killed reviewer: a reviewer with a pool worker and a helper is killed with SIGKILL; the time
   until its status says failed.
4. Configurations: ``--pairs`` pairs of reviews started together in one workspace with different
   configs; a swap is a run that ran the other config's reviewers or holds its copy.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pip
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aws_durable_execution_sdk_python.lambda_service import OperationStatus, OperationType

from framework.run import checkpoints, lifeline
from framework.run.workspace import Workspace

PLUGINS = ROOT / "tests" / "plugins"


def codepanel(*args: str, workspace: Path, config: Path, wait: bool = True):
    env = {**os.environ, "CODEPANEL_WORKSPACE": str(workspace), "CODEPANEL_CONFIG": str(config), "NO_COLOR": "1"}
    # As from a terminal: a shell's background job would otherwise inherit SIGINT ignored.
    process = subprocess.Popen([sys.executable, "-m", "framework", *args], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # noqa: PLW1509  # fmt: skip
    if not wait:
        return process
    out, err = process.communicate()
    return process.returncode, out.decode(), err.decode()


def config_file(folder: Path, name: str, **entries) -> Path:
    data = yaml.safe_load((ROOT / "reviewers.yaml").read_text())
    data["reviewers"].update(entries)
    path = folder / name
    path.write_text(yaml.safe_dump(data))
    return path


def fingerprints(run) -> set[tuple]:
    return {(item["reviewer"], item["rule_id"], item["file"], item["line"], item["fingerprint"])
            for item in json.loads((run.dir / "findings.json").read_text())}  # fmt: skip


def checkpointed(run) -> set[str]:
    if not checkpoints.store_path(run).exists():
        return set()
    execution = checkpoints.execution_of(checkpoints.store_class()(checkpoints.store_path(run)), run)
    return {op.name.removeprefix("review-") for op in (execution.operations if execution else [])
            if op.operation_type is OperationType.CHAINED_INVOKE and op.status is OperationStatus.SUCCEEDED}  # fmt: skip


def started_times(run) -> dict[str, float]:
    found = {}
    for path in (run.dir / "results").glob("*.json"):
        try:
            found[path.stem] = json.loads(path.read_text())["started"]
        except (OSError, ValueError, KeyError):
            continue
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return False
    return stat[stat.rfind(b")") + 2 :].split()[0] != b"Z"


def left_after(pids: list[int], grace: float = 2.0) -> int:
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.02)
    return sum(alive(pid) for pid in pids)


def newest_run(workspace: Path):
    runs = Workspace(workspace).runs()
    return Workspace(workspace).run(runs[-1]) if runs else None


def wait_for_run(process: subprocess.Popen, workspace: Path) -> float:
    """When the run's durable execution was first checkpointed (its store exists)."""
    while process.poll() is None and not ((run := newest_run(workspace)) and checkpoints.store_path(run).exists()):
        time.sleep(0.01)
    return time.perf_counter()


def random_kills(args, rng, scratch: Path, source: Path, config: Path) -> None:
    review = ["review", str(source), "-r", "security,style", "--no-cache", "--no-progress"]
    process = codepanel(*review, workspace=scratch / "baseline", config=config, wait=False)
    began = wait_for_run(process, scratch / "baseline")
    _, err = process.communicate()
    whole = time.perf_counter() - began  # from the run's first checkpoint to the command's end
    assert process.returncode in (0, 3), err.decode()
    expected = fingerprints(newest_run(scratch / "baseline"))
    print(f"uninterrupted review of {source} ({len(expected)} findings): {whole:.1f} s from its first checkpoint")
    same = differ = rerun = kept = orphans = before_start = after_finish = refused = 0
    resumed_times = []
    trial = missed = 0
    while trial < args.kills and missed < args.kills:
        workspace = scratch / f"kill-{trial}-{missed}"
        process = codepanel(*review, workspace=workspace, config=config, wait=False)
        wait_for_run(process, workspace)
        time.sleep(rng.uniform(0, whole * 0.8))  # a random moment of the run itself
        tree = lifeline.descendants(process.pid)
        if process.poll() is not None:  # the review ended first: draw again
            missed += 1
            continue
        trial += 1
        process.kill()
        process.wait()
        orphans += left_after(tree)
        run = newest_run(workspace)
        state = checkpoints.state(run) if run else checkpoints.RunState.UNSTARTED
        if state is not checkpoints.RunState.INTERRUPTED:  # the resume refuses it in one line
            after_finish += state is checkpoints.RunState.FINISHED
            before_start += state is not checkpoints.RunState.FINISHED
            code, _, err = codepanel("runs", "resume", run.id, workspace=workspace, config=config)
            last = err.strip().splitlines()[-1]  # after the "Resuming run" note
            refused += code == 2 and last.startswith(f"error: run {run.id} cannot be resumed: ") and "Traceback" not in err
            continue
        finished = checkpointed(run)
        before = started_times(run)
        began = time.perf_counter()
        code, _, err = codepanel("runs", "resume", run.id, "--no-progress", workspace=workspace, config=config)
        resumed_times.append(time.perf_counter() - began)
        assert code in (0, 3), err
        after = started_times(run)
        kept += len(finished)
        rerun += sum(after.get(name) != before.get(name) for name in finished)
        if fingerprints(run) == expected:
            same += 1
        else:
            differ += 1
    print(f"random kill -9s: {trial}, drawn again because the review ended first: {missed}")
    print(f"  resumed {same + differ}; killed before the run began {before_start}, "
          f"after it finished {after_finish}: `runs resume` refused {refused} of them with a one-line error")  # fmt: skip
    print(f"  resumed runs with the uninterrupted run's findings: {same} of {same + differ}")
    print(f"  reviewers finished before the kill: {kept}; run again by the resume: {rerun}")
    print(f"  processes of the review left 2 s after the kill: {orphans}")
    if resumed_times:
        print(f"  resume to the end: median {statistics.median(resumed_times):.1f} s, max {max(resumed_times):.1f} s")


def signals(args, rng, scratch: Path, repo: Path, plugins: Path) -> None:
    config = config_file(scratch, "tree.yaml", tree={"plugin": "tree", "settings": {"seconds": 30}})
    for signum in (signal.SIGINT, signal.SIGTERM):
        codes, lines, left, stop_times, states = set(), set(), 0, [], set()
        for trial in range(args.signals):
            workspace = scratch / f"{signum.name}-{trial}"
            process = codepanel("review", str(repo), "--plugins-dir", str(plugins), "--no-cache", "--no-progress",
                                workspace=workspace, config=config, wait=False)  # fmt: skip
            while not (run := newest_run(workspace)) or run.statuses().get("tree", {}).get("status") != "running":
                time.sleep(0.05)
            time.sleep(rng.uniform(0, 1))
            tree = lifeline.descendants(process.pid)
            began = time.perf_counter()
            process.send_signal(signum)
            _, err = process.communicate()
            stop_times.append(time.perf_counter() - began)
            codes.add(process.returncode)
            lines.add(len(err.decode().strip().splitlines()[2:]))  # after the offline note and the run id
            left += left_after(tree)
            states.add(str(checkpoints.state(run)))
        print(f"{signum.name} x{args.signals}: exit {sorted(codes)}, lines printed {sorted(lines)}, "
              f"stopped in max {max(stop_times):.2f} s, processes of the review left: {left}, runs: {sorted(states)}")  # fmt: skip


def killed_reviewer(scratch: Path, repo: Path, plugins: Path) -> None:
    config = config_file(scratch, "killed.yaml", tree={"plugin": "tree", "timeout": 120, "settings": {"seconds": 60}})
    delays = []
    for trial in range(3):
        workspace = scratch / f"killed-{trial}"
        process = codepanel("review", str(repo), "--plugins-dir", str(plugins), "-r", "tree", "--no-cache",
                            "--no-progress", workspace=workspace, config=config, wait=False)  # fmt: skip
        while not (run := newest_run(workspace)) or run.statuses().get("tree", {}).get("status") != "running":
            time.sleep(0.02)
        reviewer = next(pid for pid in lifeline.descendants(process.pid)
                        if b"reviewer_handler" in Path(f"/proc/{pid}/cmdline").read_bytes()
                        and os.getpgid(pid) == pid)  # fmt: skip
        time.sleep(0.5)  # its pool worker and helper are up
        began = time.perf_counter()
        os.kill(reviewer, signal.SIGKILL)
        while run.statuses().get("tree", {}).get("status") != "failed":
            time.sleep(0.005)
        delays.append(time.perf_counter() - began)
        process.communicate()
    print(f"a reviewer killed (SIGKILL) with its pool worker and helper: reported failed after "
          f"{', '.join(f'{delay:.2f}' for delay in delays)} s (its timeout: 120 s)")  # fmt: skip


def pairs(args, scratch: Path, repo: Path) -> None:
    configs = {
        "security": config_file(scratch, "only-security.yaml", style={"plugin": "style", "enabled": False}),
        "style": config_file(scratch, "only-style.yaml", security={"plugin": "security", "enabled": False}),
    }
    workspace = scratch / "pairs"
    swaps = failures = 0
    for _ in range(args.pairs):
        running = {name: codepanel("review", str(repo), "--format", "json", "--no-progress", "--no-cache",
                                   workspace=workspace, config=path, wait=False) for name, path in configs.items()}  # fmt: skip
        for name, process in running.items():
            out, err = process.communicate()
            if process.returncode != 0:
                failures += 1
                print(f"  a review failed (exit {process.returncode}): {err.decode().strip().splitlines()[-1]}")
                continue
            summary = json.loads(out)["summary"]
            run = Workspace(workspace).run(summary["run_id"])
            if list(summary["reviewers"]) != [name] or run.config_path.read_text() != configs[name].read_text():
                swaps += 1
    print(f"concurrent pairs with different configs: {args.pairs}, swaps: {swaps}, failed reviews: {failures}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--signals", type=int, default=3)
    parser.add_argument("--pairs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--only", choices=["kills", "signals", "killed", "pairs"], action="append",
                        help="Run only these parts (repeatable) [default: all].")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    source = Path(pip.__file__).parent
    with tempfile.TemporaryDirectory(prefix="codepanel-durability-") as folder:
        scratch = Path(folder)
        plugins = scratch / "plugins"
        plugins.mkdir()
        (plugins / "process_tree_reviewers.py").write_text((PLUGINS / "process_tree_reviewers.py").read_text())
        repo = scratch / "repo"
        (repo / "app").mkdir(parents=True)
        (repo / "README.md").write_text("# demo\n")
        (repo / "app" / "views.py").write_text(
            "import os\nfrom flask import request\n\ndef run():\n    os.system(request.args['c'])\n"
        )
        parts = args.only or ["kills", "signals", "killed", "pairs"]
        if "kills" in parts:
            random_kills(args, rng, scratch, source, config_file(scratch, "reviewers.yaml"))
        if "signals" in parts:
            signals(args, rng, scratch, repo, plugins)
        if "killed" in parts:
            killed_reviewer(scratch, repo, plugins)
        if "pairs" in parts:
            pairs(args, scratch, repo)


if __name__ == "__main__":
    main()
