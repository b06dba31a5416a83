"""Import time of the reviewer handler offline (goal: under 0.3 s, and Strands not imported).

    python benchmarks/import_time.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys

MODULE = "framework.run.reviewer_handler"


def measure() -> tuple[float, set[str]]:
    completed = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {MODULE}"],
                               capture_output=True, text=True, check=True)
    total = 0.0
    modules = set()
    for line in completed.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        modules.add(name.strip())
        if name.strip() == MODULE:
            total = int(cumulative) / 1e6
    return total, modules


def main() -> None:
    results = [measure() for _ in range(5)]
    seconds = [total for total, _ in results]
    modules = results[-1][1]
    heavy = sorted(name for name in modules if name.split(".")[0] in ("strands", "boto3", "botocore", "git", "aws_durable_execution_sdk_python"))
    print(f"import {MODULE}: median {statistics.median(seconds):.3f} s (min {min(seconds):.3f}, max {max(seconds):.3f}) over 5 runs")
    print(f"heavy packages imported: {', '.join(sorted({n.split('.')[0] for n in heavy})) or 'none'}")


if __name__ == "__main__":
    main()
