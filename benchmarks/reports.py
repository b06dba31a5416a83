"""Render times of the three reports (Markdown, SARIF, HTML) for N synthetic findings (default 5,000).

    python benchmarks/reports.py [N]
"""
from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from framework.findings import SEVERITIES, Finding, sort_key  # noqa: E402
from framework.reports import html_report, markdown, sarif  # noqa: E402
from framework.run.summary import RunSummary  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
rng = random.Random(13)
source = Path(tempfile.mkdtemp()) / "source"
files = [f"pkg/mod{n:03}.py" for n in range(300)] + [f"tests/test_{n:02}.py" for n in range(40)]
for name in files:
    path = source / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"def f{i}(x):\n    return os.system(x)  # line {i}\n" for i in range(200)))
findings = []
for n in range(N):
    file = rng.choice(files)
    line = rng.randint(1, 400)
    severity = rng.choice(SEVERITIES)
    details = {"score": rng.randint(0, 10)}
    reviewer = rng.choice(["security", "style"])
    if reviewer == "security" and n % 2:
        other = rng.choice(files)
        details["path"] = [
            {"file": other, "line": rng.randint(1, 400), "what": "source: request.args"},
            {"file": other, "line": rng.randint(1, 400), "what": "passed to run()"},
            {"file": file, "line": max(1, line - 2), "what": "parameter x of run()"},
            {"file": file, "line": line, "what": "reaches os.system()"},
        ]
        details["source"] = {"kind": "web", "trust": "remote", "file": other, "line": 1, "what": "request.args"}
    finding = Finding(rule_id=f"rule-{n % 40}", message=f"message {n} <b>", file=file, line=line,
                      severity=severity, reviewer=reviewer, details=details, cwe=78 if reviewer == "security" else None,
                      recommendation="Do the right thing.", in_tests=file.startswith("tests/"))
    finding.with_fingerprint(f"line {line} {n}")
    findings.append(finding)
findings.sort(key=sort_key)
summary = RunSummary.model_validate({
    "run_id": "20260101T000000Z-00000000", "repository": "bench", "status": "incomplete", "files_reviewed": 340,
    "reviewers": {"security": {"status": "ok"}, "style": {"status": "partial", "error": "cut"}},
    "limits_hit": ["source.max_files (300): 300 of 1000 files fetched"], "uncovered": {"JavaScript": 213},
    "risk": {"score": 10, "level": "critical", "by": "rules"},
    "executive_summary": {"text": "Many findings.", "by": "rules"},
})


def timed(label, call):
    figures = []
    for _ in range(5):
        start = time.perf_counter()
        out = call()
        figures.append(time.perf_counter() - start)
    size = len(out) if isinstance(out, str) else len(json.dumps(out, separators=(",", ":")))
    print(f"{label:10} {statistics.median(figures):.3f} s (median of 5)  {size / 1e6:.2f} MB")


print(f"{N} findings")
timed("markdown", lambda: markdown.render(summary, findings))
timed("sarif", lambda: sarif.log(summary, findings))
timed("sarif+json", lambda: json.dumps(sarif.log(summary, findings), ensure_ascii=False, separators=(",", ":")))
timed("html", lambda: html_report.render(summary, findings, source))
