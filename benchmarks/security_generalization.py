"""The security reviewer on its generalization corpus (tests/security/generalization).

These cases were written apart from the engine's own corpus, in the way applications are
written with each framework (documented idioms, helpers in other modules, wrapper classes,
request objects kept in objects, templates), not as twins of the engine's rules. Per category:
TPR (vulnerable cases whose every expected finding is reported), FPR (safe cases with any
finding) and TPR - FPR, then the mean over categories. Misses are listed.

Run: ``python benchmarks/security_generalization.py``.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def score(cases, findings) -> tuple[dict[str, Counter], list[str]]:
    tally: dict[str, Counter] = defaultdict(Counter)
    misses = []
    for case in cases:
        found = {(f["file"], f["line"], f["rule_id"]) for f in findings if case.owns(f["file"])}
        counts = tally[case.klass]
        if case.safe:
            counts["safe"] += 1
            if found:
                counts["false_positives"] += 1
                misses.append(f"false positive: {case.name}: {sorted(found)}")
        else:
            counts["vulnerable"] += 1
            if case.expected <= found:
                counts["true_positives"] += 1
            else:
                misses.append(f"missed: {case.name}: {sorted(case.expected - found)}")
    return tally, misses


def main() -> int:
    sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "security")]
    from corpus_index import GENERAL_CLASSES, GENERALIZATION, load_cases, run_engine

    cases = load_cases(GENERALIZATION, GENERAL_CLASSES)
    findings = run_engine(workers=1, root=GENERALIZATION)
    tally, misses = score(cases, findings)
    print(f"{'category':<24}{'vuln':>5}{'safe':>5}{'TPR':>7}{'FPR':>7}{'TPR-FPR':>9}")
    scores = []
    for klass in GENERAL_CLASSES:
        counts = tally.get(klass)
        if not counts:
            continue
        tpr = counts["true_positives"] / counts["vulnerable"] if counts["vulnerable"] else 0.0
        fpr = counts["false_positives"] / counts["safe"] if counts["safe"] else 0.0
        scores.append(tpr - fpr)
        print(f"{klass:<24}{counts['vulnerable']:>5}{counts['safe']:>5}{tpr:>7.2f}{fpr:>7.2f}{tpr - fpr:>9.2f}")
    mean = sum(scores) / len(scores)
    print(f"{'mean over categories':<34}{mean:>24.3f}")
    print(f"{len(cases)} cases ({sum(not case.safe for case in cases)} vulnerable), {len(findings)} findings")
    for line in misses:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
