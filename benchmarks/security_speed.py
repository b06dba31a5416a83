"""Speed of the security reviewer next to Bandit, on pip's installed source, in one run.

Times ``codepanel review <pip source> --reviewers security`` (the CLI, offline, a fresh
workspace each time) and ``bandit -r <pip source>``, alternately, and prints both wall times
and their ratio (target: ours at most 0.3 of Bandit's). Then checks that the engine's findings
are identical with 1 worker and with one per CPU. Needs Bandit: ``pip install -e '.[bench]'``.

Run: ``python benchmarks/security_speed.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_RATIO = 0.3


def pip_source() -> Path:
    import pip

    return Path(pip.__file__).resolve().parent


def tool(name: str) -> str | None:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


def timed(command: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, check=False, cwd=ROOT)
    return time.perf_counter() - started, completed


def ours(source: Path, scratch: Path, codepanel: str) -> tuple[float, int]:
    workspace = Path(tempfile.mkdtemp(dir=scratch))
    output = workspace / "report.json"
    seconds, completed = timed([
        codepanel, "review", str(source), "--reviewers", "security", "--config", str(ROOT / "reviewers.yaml"),
        "-w", str(workspace / "ws"), "--no-progress", "-f", "json", "-o", str(output), "--model", "offline",
    ])  # fmt: skip
    if completed.returncode not in (0, 1):
        raise SystemExit(f"codepanel failed ({completed.returncode}): {completed.stderr.decode()[-500:]}")
    return seconds, len(json.loads(output.read_text())["findings"])


def bandit(source: Path, scratch: Path, executable: str) -> tuple[float, int]:
    output = Path(tempfile.mkdtemp(dir=scratch)) / "bandit.json"
    seconds, completed = timed([executable, "-r", str(source), "-q", "-f", "json", "-o", str(output)])
    if completed.returncode not in (0, 1):
        raise SystemExit(f"bandit failed ({completed.returncode}): {completed.stderr.decode()[-500:]}")
    return seconds, len(json.loads(output.read_text())["results"])


def same_with_any_workers(source: Path) -> tuple[int, int, int]:
    from framework.tree import SourceTree
    from reviewers.security.engine import review

    files = sorted(path.relative_to(source).as_posix() for path in source.rglob("*.py"))
    tree = SourceTree(source, files, 2_000_000)
    workers = os.cpu_count() or 1
    serial = review(tree, {"workers": 1}).findings
    parallel = review(tree, {"workers": workers}).findings
    assert serial == parallel, "findings differ between 1 worker and several"
    return workers, len(serial), len(parallel)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each tool (the median is compared)")
    arguments = parser.parse_args()
    codepanel, bandit_executable = tool("codepanel"), tool("bandit")
    if bandit_executable is None:
        print("bandit is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    source = pip_source()
    files = sum(1 for _ in source.rglob("*.py"))
    print(f"tree: {source} ({files} Python files), {os.cpu_count()} CPUs, {arguments.repeat} runs each")
    our_times, bandit_times = [], []
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(arguments.repeat):
            seconds, our_count = ours(source, Path(scratch), codepanel)
            our_times.append(seconds)
            other_seconds, bandit_count = bandit(source, Path(scratch), bandit_executable)
            bandit_times.append(other_seconds)
            print(f"run {run + 1}: codepanel security {seconds:6.2f} s ({our_count} findings)   "
                  f"bandit -r {other_seconds:6.2f} s ({bandit_count} findings)")
    mine, theirs = statistics.median(our_times), statistics.median(bandit_times)
    ratio = mine / theirs
    print(f"median wall time: codepanel {mine:.2f} s, bandit {theirs:.2f} s, ratio {ratio:.2f} "
          f"(target <= {TARGET_RATIO})")
    workers, serial, parallel = same_with_any_workers(source)
    print(f"findings with 1 worker: {serial}; with {workers} workers: {parallel}; identical: yes")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
