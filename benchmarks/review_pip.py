"""Review the installed pip package's source with every built-in reviewer; print the wall time.

    python benchmarks/review_pip.py [--reviewers security,style] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reviewers", default="security,style")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    source = Path(pip.__file__).parent
    lines = sum(len(path.read_bytes().splitlines()) for path in source.rglob("*.py"))
    print(f"pip {pip.__version__} source: {source} ({lines} lines of Python)")
    config = Path(__file__).resolve().parent.parent / "reviewers.yaml"
    times = []
    for attempt in range(args.repeat):
        with tempfile.TemporaryDirectory() as workspace:
            started = time.perf_counter()
            completed = subprocess.run(
                [sys.executable, "-m", "framework", "review", str(source), "--reviewers", args.reviewers,
                 "--workspace", workspace, "--config", str(config), "--format", "json", "--no-progress"],
                capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
            )  # fmt: skip
            elapsed = time.perf_counter() - started
            if completed.returncode not in (0, 1):
                sys.exit(f"review failed ({completed.returncode}): {completed.stderr}")
            summary = json.loads(completed.stdout)["summary"]
        times.append(elapsed)
        per_reviewer = {name: (entry["status"], entry["findings"], entry["duration"]) for name, entry in summary["reviewers"].items()}
        print(f"run {attempt + 1}: {elapsed:.2f} s wall; files {summary['files_reviewed']}; "
              f"reviewers (status, findings, seconds): {per_reviewer}")
    print(f"median wall time: {statistics.median(times):.2f} s over {len(times)} runs")


if __name__ == "__main__":
    main()
