"""Benchmark of the result cache: review the installed pip package's source three times.

1. a first review into a fresh workspace (empty cache);
2. the same tree again, unchanged: the target is at most a tenth of the first review's time (the
   earlier run answers it: framework/run/reuse.py);
3. one file touched, its content unchanged: a new run, whose analyzers read their cache;
4. after changing one file: only that file should be analysed again.

Two figures per review, both wall-clock:

- the reviewers' work: the longest reviewer's ``duration`` in summary.json (reviewers run in
  parallel; a reviewer's duration covers loading plugins, hashing files, analysing or reading the
  cache, and fingerprinting);
- the whole ``codepanel review`` command, run as a subprocess: it adds starting Python, copying the
  tree into the run, the durable runner, one process per reviewer, and writing the reports.

The target (issue 13) is judged on the whole command; the reviewers' work is printed too. So is
the disk a second review adds to the workspace (files counted once however many hard links they have). Each round uses a fresh
workspace; the medians over rounds are what count (other work on the machine adds noise).

    python benchmarks/cache.py [--target DIR] [--repeat N]      # default: pip's source, 3 rounds
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

TARGET_RATIO = 0.10


def pip_source() -> Path:
    found = subprocess.run(
        [sys.executable, "-c", "import pip,os;print(os.path.dirname(pip.__file__))"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return Path(found.stdout.strip())


def review(target: Path, workspace: Path) -> dict:
    before = set((workspace / "runs").iterdir()) if (workspace / "runs").exists() else set()
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "framework", "review", str(target), "--workspace", str(workspace),
         "--no-progress", "--format", "json", "--output", os.devnull],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if completed.returncode not in (0, 1):
        sys.exit(f"codepanel review failed ({completed.returncode}): {completed.stderr[-2000:]}")
    new = sorted(set((workspace / "runs").iterdir()) - before)
    if not new:  # answered by the earlier run of the same tree (framework/run/reuse.py): nothing ran
        summary = json.loads((sorted(before)[-1] / "summary.json").read_text())
        return {"command": elapsed, "reviewers": 0.0, "durations": {}, "cache": {"run": "the earlier run, reused"},
                "findings": summary["counts"]["total"], "files": summary["files_reviewed"]}  # fmt: skip
    summary = json.loads((new[-1] / "summary.json").read_text())
    durations = {name: entry["duration"] for name, entry in summary["reviewers"].items()}
    return {
        "command": elapsed,
        "reviewers": max(durations.values()),
        "durations": durations,
        "cache": {name: entry.get("cache") for name, entry in summary["reviewers"].items()},
        "findings": summary["counts"]["total"],
        "files": summary["files_reviewed"],
    }


def disk(folder: Path) -> int:
    """Bytes under ``folder``, each file counted once however many hard links it has."""
    seen, total = set(), 0
    for path in folder.rglob("*"):
        status = path.lstat()
        if path.is_file() and (status.st_dev, status.st_ino) not in seen:
            seen.add((status.st_dev, status.st_ino))
            total += status.st_size
    return total


def show(label: str, figures: dict) -> None:
    each = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in figures["durations"].items())
    print(f"{label:<14} reviewers' work {figures['reviewers']:7.2f} s ({each}); "
          f"whole command {figures['command']:6.2f} s; {figures['findings']} findings")  # fmt: skip
    for name, stats in figures["cache"].items():
        print(f"{'':<14}   {name}: cache {json.dumps(stats)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--target", type=Path, default=None, help="tree to review [default: pip's source]"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds, each in a fresh workspace [default: 3]"
    )
    args = parser.parse_args()
    source = args.target or pip_source()
    os.environ.pop("CODEPANEL_WORKSPACE", None)
    rounds = []
    added: list[int] = []
    with tempfile.TemporaryDirectory(prefix="codepanel-bench-") as scratch:
        tree = Path(scratch) / "tree"
        shutil.copytree(source, tree, ignore=shutil.ignore_patterns("__pycache__"))
        files = [path for path in tree.rglob("*") if path.is_file()]
        print(
            f"tree: a copy of {source} ({len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB); "
            f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
        )
        for number in range(1, args.repeat + 1):
            workspace = Path(scratch) / f"workspace-{number}"
            print(f"round {number}")
            first = review(tree, workspace)
            show("first review", first)
            before = disk(workspace)
            second = review(tree, workspace)
            show("second review", second)
            added.append(disk(workspace) - before)
            rounds.append((first, second))
        python_files = sorted(path for path in tree.rglob("*.py") if "_vendor" not in path.parts)
        # Touched, same content: the run is not reused, the analyzers' per-file cache answers.
        os.utime(python_files[0])
        show("touched file", review(tree, workspace))
        changed = python_files[len(python_files) // 2]
        changed.write_text(
            changed.read_text() + "\n\ndef _benchmark_edit(text):\n    return eval(text)\n"
        )
        show("one file edit", review(tree, workspace))
        print(f"{'':<14}   (edited {changed.relative_to(tree)}, in the last round's workspace)")
    ratios = [second["reviewers"] / first["reviewers"] for first, second in rounds]
    command_ratios = [second["command"] / first["command"] for first, second in rounds]
    ratio = statistics.median(command_ratios)
    print(
        f"reviewers' work, first review:  median {statistics.median(f['reviewers'] for f, _ in rounds):.2f} s"
    )
    print(
        f"reviewers' work, second review: median {statistics.median(s['reviewers'] for _, s in rounds):.2f} s"
    )
    print(
        f"whole command, first review:    median {statistics.median(f['command'] for f, _ in rounds):.2f} s"
    )
    print(
        f"whole command, second review:   median {statistics.median(s['command'] for _, s in rounds):.2f} s"
    )
    print(
        f"second/first, reviewers' work: median {statistics.median(ratios):.3f} "
        f"(rounds: {', '.join(f'{r:.3f}' for r in ratios)})"
    )
    print(
        f"second/first, whole command:   median {ratio:.3f} (rounds: {', '.join(f'{r:.3f}' for r in command_ratios)}; "
        f"target <= {TARGET_RATIO}: {'met' if ratio <= TARGET_RATIO else 'MISSED'})"
    )
    print(f"disk a second review adds to the workspace: median {statistics.median(added) / 1e6:.2f} MB")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
