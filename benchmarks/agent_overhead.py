"""Agent mode figures: import times on the reviewer path, and the agent loop's own overhead.

    python benchmarks/agent_overhead.py

Prints the median ``-X importtime`` figure of ``framework.run.reviewer_handler`` (offline, the goal is under
0.3 s), of ``framework.agents.agent`` with Strands left out, the one-time cost of importing Strands,
and the time of an agent review against a model that answers at once (what codepanel itself
adds around the model calls).
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7


def import_seconds(module: str) -> float:
    figures = []
    for _ in range(RUNS):
        completed = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import {module}"],
            capture_output=True, text=True, cwd=ROOT, check=True,
        )  # fmt: skip
        last = [line for line in completed.stderr.splitlines() if re.search(rf"\| {re.escape(module)}$", line)]
        figures.append(int(last[-1].split("|")[1]) / 1e6)
    return statistics.median(figures)


def agent_review_seconds(calls: int) -> float:
    sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "agent")]
    from scripted_model import (
        PlainReviewer,
        ScriptedModel,
        analyzer_findings,
        call,
        reviewer_config,
    )

    from framework.agents.agent import review_with_agent
    from framework.tree import SourceTree

    root = Path(tempfile.mkdtemp()) / "src"
    (root / "app").mkdir(parents=True)
    (root / "app" / "main.py").write_text("import os\n\n\ndef run(command):\n    os.system(command)\n" * 20)
    tree = SourceTree(root, ["app/main.py"])
    verdicts = [{"id": "F1", "verdict": "confirmed"}, {"id": "F2", "verdict": "confirmed"}]
    replies = [[call("read_file", path="app/main.py")]] * (calls - 1)
    replies.append([call("ReviewResult", verdicts=verdicts, findings=[], summary="")])
    started = time.perf_counter()
    config = reviewer_config(limits={"max_turns": calls + 1, "max_files_read": calls + 1})
    review_with_agent(PlainReviewer(), config, tree, analyzer_findings(), model=ScriptedModel(replies))
    return time.perf_counter() - started


def main() -> None:
    print(f"import framework.run.reviewer_handler (offline path): {import_seconds('framework.run.reviewer_handler'):.3f} s (median of {RUNS})")
    print(f"import framework.agents.agent (no Strands yet): {import_seconds('framework.agents.agent'):.3f} s")
    print(f"import strands (once, when a model is used): {import_seconds('strands'):.3f} s")
    agent_review_seconds(2)  # warm: imports Strands
    for calls in (2, 10, 30):
        print(f"agent review, {calls} instant model calls: {agent_review_seconds(calls) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
