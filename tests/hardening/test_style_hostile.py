"""Files that make ruff blow up: the style reviewer survives them, skips them with the reason, and
reviews the rest of the repository."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from framework.tree import SourceTree
from reviewers.style import StyleReviewer, ruff_run

LONG_FUNCTION_LINES = 124_000
DEPTH = 2_000


def long_function() -> str:
    """About 2 MB: one function of 124,000 statements, each a branch (ruff's memory grows with their square)."""
    return "def f(x):\n" + "".join(f"    if x: x = {index % 10}\n" for index in range(LONG_FUNCTION_LINES))


def deep_nesting(depth: int = DEPTH) -> str:
    """6 KB: calls nested 2,000 deep, past the stack of ruff's worker threads (not of its main one)."""
    return "x = " + "f(" * depth + "1" + ")" * depth + "\n"


def hostile_repository(root: Path) -> Path:
    files = {"README.md": "# hostile\n", "tests/test_a.py": "def test():\n    pass\n",
             "long.py": long_function(), "deep.py": deep_nesting(), "deeper.py": deep_nesting(10 * DEPTH),
             **{f"pkg/m{index}.py": "import os\n" for index in range(6)}}  # fmt: skip
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def review(root: Path, max_file_bytes: int) -> tuple[list, list[dict[str, str]]]:
    files = sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())
    reviewer = StyleReviewer()
    findings = list(reviewer.analyze(SourceTree(root, files, max_file_bytes), reviewer.settings_from({})))
    return findings, reviewer.skipped


def test_the_two_hostile_files_are_skipped_and_the_rest_is_reviewed(tmp_path):
    root = hostile_repository(tmp_path)
    assert 1_900_000 < (root / "long.py").stat().st_size < 2_200_000
    assert (root / "deep.py").stat().st_size == 6_006
    findings, skipped = review(root, 1_000_000)  # limits.max_file_bytes' default
    # deep.py fails every batch it is in; alone, ruff checks it on its main thread, whose stack is
    # larger. Ten times deeper overflows that one too.
    assert {entry["path"]: entry["reason"] for entry in skipped} == {
        "long.py": "larger than limits.max_file_bytes (1000000 bytes)",
        "deeper.py": "ruff overflowed its stack (code nested too deep)",
    }
    assert sorted(f.file for f in findings if f.rule_id == "F401") == [f"pkg/m{index}.py" for index in range(6)]


def test_a_file_that_drives_ruff_out_of_memory_is_skipped_and_the_rest_is_reviewed(tmp_path, monkeypatch):
    monkeypatch.setattr(ruff_run, "RUFF_MEMORY_BYTES", 512 * 2**20)  # gentler on the test machine
    root = hostile_repository(tmp_path)
    findings, skipped = review(root, 3_000_000)  # long.py is within limits.max_file_bytes: ruff gets it
    reasons = {entry["path"]: entry["reason"] for entry in skipped}
    assert reasons == {"long.py": "ruff ran out of memory (it may use 512 MB)",
                       "deeper.py": "ruff overflowed its stack (code nested too deep)"}  # fmt: skip
    assert sorted(f.file for f in findings if f.rule_id == "F401") == [f"pkg/m{index}.py" for index in range(6)]


@pytest.fixture
def slow_ruff(tmp_path, monkeypatch):
    """A ruff that never ends when it is given slow.py (the real one otherwise)."""
    from ruff.__main__ import find_ruff_bin

    script = tmp_path / "bin" / "ruff"
    script.parent.mkdir()
    script.write_text(f'#!/bin/sh\nfor a in "$@"; do case "$a" in *slow.py) exec sleep 60;; esac; done\n'
                      f'exec {find_ruff_bin()} "$@"\n')  # fmt: skip
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr("ruff.__main__.find_ruff_bin", lambda: str(script))
    monkeypatch.setattr(ruff_run, "RUFF_SECONDS", 1.0)


def test_a_file_ruff_hangs_on_is_skipped_after_the_time_bound(tmp_path, slow_ruff):
    files = {"README.md": "x", "test_x.py": "", "slow.py": "x = 1\n", **{f"m{i}.py": "import os\n" for i in range(3)}}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    findings, skipped = review(tmp_path, 1_000_000)
    assert skipped == [{"path": "slow.py", "reason": "ruff took longer than 1 s"}]
    assert sorted(f.file for f in findings if f.rule_id == "F401") == ["m0.py", "m1.py", "m2.py"]


def test_isolating_stops_after_its_run_budget(tmp_path, slow_ruff, monkeypatch):
    monkeypatch.setattr(ruff_run, "MAX_ISOLATING_RUNS", 2)
    files = {"README.md": "x", "test_x.py": "", "slow.py": "x = 1\n", **{f"m{i}.py": "import os\n" for i in range(7)}}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    findings, skipped = review(tmp_path, 1_000_000)
    # Nine files: two runs on the halves (m0-m3; m4-m6, slow.py, test_x.py), then the one that still fails is skipped whole.
    assert [entry["path"] for entry in skipped] == ["m4.py", "m5.py", "m6.py", "slow.py", "test_x.py"]
    assert all(entry["reason"].startswith("ruff failed on the 5 files checked with it (ruff took longer") for entry in skipped)
    assert sorted(f.file for f in findings if f.rule_id == "F401") == ["m0.py", "m1.py", "m2.py", "m3.py"]


def test_a_review_of_the_hostile_repository_finishes_and_lists_the_skipped_files(cli, tmp_path, workspace):
    root = hostile_repository(tmp_path / "hostile")
    result = cli("review", str(root), "-r", "style", "-f", "json")
    assert result.exit_code == 3, result.stderr  # incomplete: the reviewer read long.py only in part
    document = json.loads(result.stdout)
    style = document["summary"]["reviewers"]["style"]
    assert style["status"] == "partial"
    assert {entry["path"] for entry in style["skipped"]} == {"long.py", "deeper.py"}
    assert sorted(f["file"] for f in document["findings"] if f["rule_id"] == "F401") == [f"pkg/m{i}.py" for i in range(6)]


def test_isolating_stops_after_its_time_budget(tmp_path, slow_ruff, monkeypatch):
    monkeypatch.setattr(ruff_run, "MAX_FAILING_SECONDS", 1.5)
    files = {"README.md": "x", "test_x.py": "", "slow.py": "x = 1\n", **{f"m{i}.py": "import os\n" for i in range(7)}}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    findings, skipped = review(tmp_path, 1_000_000)
    # The whole batch timed out (1 s), then its half with slow.py (1 s more): 2 s spent failing, no further.
    assert [entry["path"] for entry in skipped] == ["m4.py", "m5.py", "m6.py", "slow.py", "test_x.py"]
    assert sorted(f.file for f in findings if f.rule_id == "F401") == ["m0.py", "m1.py", "m2.py", "m3.py"]


def test_a_lower_address_space_cap_already_in_place_is_kept(monkeypatch):
    import resource

    infinity = resource.RLIM_INFINITY
    monkeypatch.setattr(resource, "getrlimit", lambda which: (800 * 2**20, infinity))
    assert ruff_run.address_space_cap(ruff_run.RUFF_MEMORY_BYTES) == 800 * 2**20
    monkeypatch.setattr(resource, "getrlimit", lambda which: (infinity, infinity))
    assert ruff_run.address_space_cap(ruff_run.RUFF_MEMORY_BYTES) == ruff_run.RUFF_MEMORY_BYTES
