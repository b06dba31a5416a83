"""The style reviewer on the two files that took ruff down (issue 14), among ordinary ones.

    python benchmarks/style_hostile.py            # 200 ordinary files beside them
    python benchmarks/style_hostile.py --files 2000

The hostile files: ``long.py``, one function of 124,000 branches (about 2 MB; ruff's memory grows
with the square of its statements, 23 GB before the kernel killed it), and ``deep.py``, calls
nested 2,000 deep (6 KB; it overflowed the stack of ruff's worker threads), plus ``deeper.py``,
ten times as deep. Two cases: the default ``limits.max_file_bytes`` (1 MB: long.py is skipped
for its size), and 3 MB (ruff gets long.py and runs into its memory cap). For each: the seconds,
the peak memory of this process and of the largest ruff process, the files skipped with their
reasons, and the findings on the ordinary files (each has one).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from framework.tree import SourceTree
from reviewers.style import StyleReviewer
from reviewers.style.ruff_run import RUFF_MEMORY_BYTES
from tests.hardening.test_style_hostile import DEPTH, deep_nesting, long_function


def build(root: Path, ordinary: int) -> list[str]:
    files = {"README.md": "# hostile\n", "tests/test_a.py": "def test():\n    pass\n", "long.py": long_function(),
             "deep.py": deep_nesting(), "deeper.py": deep_nesting(10 * DEPTH),
             **{f"pkg/m{index}.py": "import os\n\n\ndef f(x):\n    return x\n" for index in range(ordinary)}}  # fmt: skip
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return sorted(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200, help="ordinary files beside the hostile ones")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        files = build(root, args.files)
        print(f"ruff's memory cap: {RUFF_MEMORY_BYTES // 2**20} MB; {args.files} ordinary files")
        for max_file_bytes in (1_000_000, 3_000_000):
            reviewer = StyleReviewer()
            started = time.perf_counter()
            findings = list(reviewer.analyze(SourceTree(root, files, max_file_bytes), reviewer.settings_from({})))
            seconds = time.perf_counter() - started
            own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            ruff = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child so far
            found = len({f.file for f in findings if f.rule_id == "F401"})
            print(f"\nlimits.max_file_bytes={max_file_bytes}: {seconds:.1f} s, peak {own:.0f} MB here, "
                  f"{ruff:.0f} MB in the largest ruff process; {found} of {args.files} ordinary files reported")  # fmt: skip
            for entry in reviewer.skipped:
                print(f"  skipped {entry['path']}: {entry['reason']}")


if __name__ == "__main__":
    main()
