"""The security reviewer on widely used, clean libraries: findings per 1,000 lines, and a sample.

Reviews each library installed in this environment (its package folder, test files left out:
``test``/``tests`` folders, ``test_*.py``, ``conftest.py``), prints the findings per 1,000 lines
of Python per library and overall (target: at most 0.3), by rule and confidence, then a random
sample of findings (seeded, so the same sample comes back) to classify by hand.

Run: ``python benchmarks/security_real_code.py [--sample 30] [--seed 12] [--json out.json]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LIBRARIES = ("pip", "setuptools", "jinja2", "click", "botocore", "rich", "urllib3", "pygments", "yaml",
             "pydantic", "git", "boto3", "markupsafe", "pluggy", "requests", "bandit", "libcst")  # fmt: skip
TARGET = 0.3


def package_folder(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def is_test(relative: str) -> bool:
    parts = relative.split("/")
    return any(part in ("test", "tests", "testing") for part in parts[:-1]) or parts[-1].startswith("test_") \
        or parts[-1] == "conftest.py"  # fmt: skip


def review_library(folder: Path):
    from framework.tree import SourceTree
    from reviewers.security.engine import review

    files = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.py"))
    files = [name for name in files if not is_test(name)]
    lines = sum((folder / name).read_bytes().count(b"\n") for name in files)
    outcome = review(SourceTree(folder, files, 5_000_000), {"workers": 2})
    return files, lines, outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--json", help="write every finding here")
    arguments = parser.parse_args()
    total_lines, everything = 0, []
    print(f"{'library':<12}{'files':>7}{'lines':>10}{'findings':>10}{'per 1k':>8}{'seconds':>9}")
    for name in LIBRARIES:
        folder = package_folder(name)
        if folder is None:
            continue
        started = time.perf_counter()
        files, lines, outcome = review_library(folder)
        elapsed = time.perf_counter() - started
        total_lines += lines
        for finding in outcome.findings:
            everything.append({"library": name, **finding})
        print(f"{name:<12}{len(files):>7}{lines:>10,}{len(outcome.findings):>10}"
              f"{1000 * len(outcome.findings) / max(lines, 1):>8.2f}{elapsed:>9.1f}")  # fmt: skip
    rate = 1000 * len(everything) / max(total_lines, 1)
    print(f"{'all':<12}{'':>7}{total_lines:>10,}{len(everything):>10}{rate:>8.3f}   (target <= {TARGET})")
    print("by rule:", dict(Counter(f["rule_id"] for f in everything).most_common()))
    print("by confidence:", dict(Counter(f["confidence"] for f in everything).most_common()))
    sample = random.Random(arguments.seed).sample(everything, min(arguments.sample, len(everything)))
    print(f"\nsample of {len(sample)} (seed {arguments.seed}):")
    for index, finding in enumerate(sorted(sample, key=lambda f: (f["library"], f["file"], f["line"])), 1):
        print(f"{index:>3}. {finding['library']}/{finding['file']}:{finding['line']} [{finding['rule_id']}, "
              f"{finding['confidence']}] {finding['message'][:150]}")  # fmt: skip
    if arguments.json:
        Path(arguments.json).write_text(json.dumps(everything, indent=1))
    return 0 if rate <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
