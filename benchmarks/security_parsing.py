"""Parsing independent of the host Python: newer standard libraries, reviewed on this Python.

Takes the standard library of every newer Python found (pyenv's 3.12, 3.13, 3.14...), keeps
the files that this Python's own parser rejects but the newer Python compiles (so they really
use newer syntax), copies them into one tree with tests/security/syntax, and reviews it with
the security engine: every file must be analyzed (target: 0 skipped for syntax). Also times the
fallback against the standard parser on the same files.

Run: ``python benchmarks/security_parsing.py [--python /path/to/python3.13 ...]``.
"""

from __future__ import annotations

import argparse
import ast
import glob
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Prints the files of a standard library that this interpreter compiles.
_COMPILES = """
import sys, pathlib
for name in sys.stdin.read().split("\\0"):
    try:
        compile(pathlib.Path(name).read_bytes(), name, "exec", dont_inherit=True)
    except Exception:
        continue
    print(name)
"""


def newer_pythons() -> list[str]:
    found = []
    for path in sorted(glob.glob(str(Path.home() / ".pyenv/versions/3.*/bin/python3"))):
        version = subprocess.run([path, "-c", "import sys; print(sys.version_info[1])"],
                                 capture_output=True, text=True, check=False).stdout.strip()  # fmt: skip
        if version.isdigit() and int(version) > sys.version_info[1]:
            found.append(path)
    return found


def newer_syntax_files(python: str) -> list[Path]:
    """Files of ``python``'s standard library that it compiles and this Python cannot parse."""
    library = Path(subprocess.run([python, "-c", "import os; print(os.path.dirname(os.__file__))"],
                                  capture_output=True, text=True, check=True).stdout.strip())  # fmt: skip
    rejected = []
    for path in sorted(library.rglob("*.py")):
        if "site-packages" in path.parts:
            continue
        try:
            ast.parse(path.read_bytes())
        except (SyntaxError, ValueError):
            rejected.append(str(path))
    compiled = subprocess.run([python, "-c", _COMPILES], input="\0".join(rejected), capture_output=True,
                              text=True, check=True).stdout.split()  # fmt: skip
    return [Path(name) for name in compiled]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", action="append", help="a newer interpreter (default: pyenv's)")
    arguments = parser.parse_args()
    from framework.tree import SourceTree
    from reviewers.security.engine import review
    from reviewers.security.parsing import decode, parse

    scratch = Path(tempfile.mkdtemp())
    files = []
    for python in arguments.python or newer_pythons():
        chosen = newer_syntax_files(python)
        version = Path(python).resolve().parent.parent.name
        print(f"{python}: {len(chosen)} standard-library files that Python "
              f"{sys.version_info[0]}.{sys.version_info[1]} cannot parse")  # fmt: skip
        for index, path in enumerate(chosen):
            name = f"stdlib-{version}/{index:04d}_{path.name}"
            (scratch / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, scratch / name)
            files.append(name)
    for path in sorted((ROOT / "tests/security/syntax").glob("*.py")):
        shutil.copyfile(path, scratch / path.name)
        files.append(path.name)
    started = time.perf_counter()
    outcome = review(SourceTree(scratch, sorted(files), 5_000_000), {"workers": 1})
    elapsed = time.perf_counter() - started
    lines = sum((scratch / name).read_text(encoding="utf-8", errors="replace").count("\n") for name in files)
    syntax = [item for item in outcome.skipped if "syntax" in item["reason"]]
    print(f"{len(files)} files ({lines:,} lines) reviewed on Python {sys.version.split()[0]} in {elapsed:.1f} s: "
          f"{len(outcome.skipped)} skipped, {len(syntax)} of them for syntax; {len(outcome.findings)} findings")
    for item in outcome.skipped:
        print(f"  skipped {item['path']}: {item['reason']}")
    started = time.perf_counter()
    for name in files:
        parse(decode((scratch / name).read_bytes()), name, "")
    print(f"parsing alone (standard parser, then the libcst fallback): {time.perf_counter() - started:.2f} s")
    shutil.rmtree(scratch, ignore_errors=True)
    return 0 if not syntax else 1


if __name__ == "__main__":
    sys.exit(main())
