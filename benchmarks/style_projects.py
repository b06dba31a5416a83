"""The style reviewer on real projects: before and after it followed each project's ruff configuration,
and whether it now finds what ruff itself finds with that configuration.

    python benchmarks/style_projects.py                  # pip, requests and flask sdists (downloads them)
    python benchmarks/style_projects.py DIR [DIR ...]    # unpacked projects of your own
    python benchmarks/style_projects.py --select ALL     # also with every rule on, over the projects' settings

For each project, on the files a review snapshots (.gitignore and limits applied):

- before: what the style reviewer reported until version 1, ``ruff --isolated --select
  E4,E7,E9,F,B,UP --line-length=100`` (ruff's part of it, without the repository checks);
- after: the style reviewer now (``analyze``, default settings);
- ruff: ``ruff check`` run in the snapshot's folder, finding the project's configuration itself,
  on the same Python files (``--force-exclude``, ``--no-fix``, ``--no-cache``).

"match" compares after and ruff finding by finding: (rule, file, line), with repeats. The seconds are the best of three.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

from ruff.__main__ import find_ruff_bin

from framework.config import SourceLimits
from framework.source import fetch
from framework.tree import SourceTree
from reviewers.style import StyleReviewer

PROJECTS = ("pip", "requests", "flask")
BEFORE = ["--isolated", "--select=E4,E7,E9,F,B,UP", "--line-length=100"]


def download(names: tuple[str, ...], into: Path) -> list[Path]:
    """The sdists of ``names`` (the latest releases), unpacked into ``into``."""
    for name in names:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                        name, "-d", str(into / "sdists")], check=True)  # fmt: skip
    unpacked = []
    for archive in sorted((into / "sdists").glob("*.tar.gz")):
        with tarfile.open(archive) as tar:
            tar.extractall(into, filter="data")
        unpacked.append(into / archive.name.removesuffix(".tar.gz"))
    return unpacked


def ruff(root: Path, files: list[str], options: list[str]) -> Counter[tuple[str, str, int]]:
    command = [find_ruff_bin(), "check", "--output-format=json", "--exit-zero", "--no-cache", "--no-fix",
               "--force-exclude", *options, "--", *files]  # fmt: skip
    completed = subprocess.run(command, cwd=root, capture_output=True, check=True)
    return Counter((item["code"] or "syntax-error", Path(item["filename"]).relative_to(root).as_posix(), item["location"]["row"])
                   for item in json.loads(completed.stdout))  # fmt: skip


def _by_rule(found: Counter) -> Counter:
    rules: Counter = Counter()
    for (rule, _, _), count in found.items():
        rules[rule] += count
    return rules


def _up(found: Counter) -> int:
    return sum(count for rule, count in _by_rule(found).items() if rule.startswith("UP"))


def best_of_three(run):
    timings, result = [], None
    for _ in range(3):
        started = time.perf_counter()
        result = run()
        timings.append(time.perf_counter() - started)
    return result, min(timings)


def measure(project: Path, workdir: Path, select: list[str] | None) -> dict:
    snapshot = workdir / f"{project.name}-snapshot"
    fetch(str(project), snapshot, SourceLimits(), allow_local=True)
    files = sorted(p.relative_to(snapshot).as_posix() for p in snapshot.rglob("*") if p.is_file())
    tree = SourceTree(snapshot, files)
    python = tree.python_files()
    reviewer = StyleReviewer()
    settings = reviewer.settings_from({"select": select} if select else {})
    found, after_seconds = best_of_three(lambda: list(reviewer.analyze(tree, settings)))
    after = Counter((f.rule_id, f.file, f.line) for f in found if not f.rule_id.startswith(("repo.", "ruff-config")))
    # NOTE: on the snapshot, not the original folder: ruff's EXE rules read the executable bit, which
    # a snapshot does not keep. ruff finds the project's configuration there just the same.
    reference = ruff(snapshot, python, [f"--select={','.join(select)}"] if select else [])
    before, before_seconds = best_of_three(lambda: ruff(snapshot, python, BEFORE)) if not select else (Counter(), 0.0)
    return {
        "project": project.name, "python_files": len(python),
        **({} if select else {"before": before.total(), "before_up": _up(before)}),
        "after": after.total(), "after_up": _up(after), "ruff": reference.total(), "match": after == reference,
        "only_after": sorted(after - reference)[:5], "only_ruff": sorted(reference - after)[:5],
        "config_notes": [f.message for f in found if f.rule_id == "ruff-config"],
        "rules_after": _by_rule(after).most_common(5),
        **({} if select else {"before_seconds": round(before_seconds, 3)}), "after_seconds": round(after_seconds, 3),
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("projects", nargs="*", type=Path, help="unpacked projects (default: download pip, requests, flask)")
    parser.add_argument("--select", help="comma-separated rules set in the reviewer's settings, and given to ruff")
    args = parser.parse_args()
    select = args.select.split(",") if args.select else None
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        projects = [path.resolve() for path in args.projects] or download(PROJECTS, workdir)
        mismatches = 0
        for project in projects:
            row = measure(project, workdir, select)
            mismatches += not row["match"]
            print(json.dumps(row))
    print(f"{len(projects) - mismatches} of {len(projects)} projects: the style reviewer finds what ruff finds")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
