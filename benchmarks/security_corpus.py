"""Precision and recall of the security reviewer on its labelled corpus (tests/security/corpus).

Per class: the true-positive rate (vulnerable cases whose every expected finding is reported),
the false-positive rate (safe twins with any finding) and TPR - FPR; then the mean over
classes (target: at least 0.9). Run: ``python benchmarks/security_corpus.py``.
"""

from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.9


def main() -> int:
    sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "security")]
    from corpus_index import CLASSES, load_cases, run_engine

    cases = load_cases()
    started = time.perf_counter()
    findings = run_engine(workers=1)
    elapsed = time.perf_counter() - started
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
    print(f"{'class':<24}{'vuln':>5}{'safe':>5}{'TPR':>7}{'FPR':>7}{'TPR-FPR':>9}")
    scores = []
    for klass in CLASSES:
        counts = tally[klass]
        tpr = counts["true_positives"] / counts["vulnerable"] if counts["vulnerable"] else 0.0
        fpr = counts["false_positives"] / counts["safe"] if counts["safe"] else 0.0
        scores.append(tpr - fpr)
        print(f"{klass:<24}{counts['vulnerable']:>5}{counts['safe']:>5}{tpr:>7.2f}{fpr:>7.2f}{tpr - fpr:>9.2f}")
    mean = sum(scores) / len(scores)
    print(f"{'mean over classes':<34}{mean:>24.3f}   (target >= {TARGET})")
    print(f"{len(cases)} cases, {len(findings)} findings, analyzed in {elapsed:.2f} s")
    features = Counter(feature for case in cases for feature in case.features)
    print(f"{len(features)} features exercised: "
          + ", ".join(f"{name} ({count})" for name, count in sorted(features.items())))
    for line in misses:
        print(line)
    return 0 if mean >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
