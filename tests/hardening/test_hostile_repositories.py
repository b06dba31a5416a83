"""Hostile repositories, generated here: fetching and every reviewer finish, read nothing outside the
source, execute nothing from the repository, and list what they skipped and why."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import commit_all, git

FILE_COUNT = 20_000
DEPTH = 80


def build_hostile_tree(root: Path, marker: Path) -> None:
    (root / "app").mkdir(parents=True)
    (root / "README.md").write_text("# hostile\n")
    (root / "app" / "main.py").write_text("import os\nos.system(input())\n")
    for name, target in {"passwd": "/etc/passwd", "environ": "/proc/self/environ", "up": "..",
                         "elsewhere.py": str(marker.parent / "outside.py")}.items():
        os.symlink(target, root / name)
    (marker.parent / "outside.py").write_text("import pickle\npickle.loads(input())\n")
    (root / "..dots.py").write_text("x = 1\n")
    (root / "new\nline.py").write_text("x = 2\n")
    os.close(os.open(os.path.join(os.fsencode(root), b"latin\xe9.py"), os.O_CREAT | os.O_WRONLY))
    with open(root / "huge.py", "wb") as handle:  # a 4 GB sparse file
        handle.truncate(4 * 1024**3)
    (root / "blob.bin").write_bytes(bytes(range(256)) * 64)
    many = root / "many"
    many.mkdir()
    for index in range(FILE_COUNT):
        (many / f"f{index:05}.txt").write_text("x")
    deep = root
    for level in range(DEPTH):
        deep = deep / f"d{level}"
    deep.mkdir(parents=True)
    (deep / "bottom.py").write_text("x = 3\n")
    hooks = root / ".git" / "hooks"
    hooks.mkdir(parents=True)
    (hooks / "post-checkout").write_text(f"#!/bin/sh\ntouch {marker}\n")
    (hooks / "post-checkout").chmod(0o755)
    os.mkfifo(root / "pipe")


@pytest.fixture
def hostile(tmp_path):
    root = tmp_path / "hostile"
    marker = tmp_path / "outside" / "EXECUTED"
    marker.parent.mkdir()
    build_hostile_tree(root, marker)
    return root, marker


def test_local_hostile_repository_is_reviewed_safely(cli, hostile, workspace, config_file):
    root, marker = hostile
    config_file.write_text(config_file.read_text().replace("max_files: 50000", f"max_files: {FILE_COUNT + 100}")
                           .replace("max_files: 20000", f"max_files: {FILE_COUNT + 100}"))
    result = cli("review", str(root), "-f", "json")
    # The 4 GB file is over source.max_file_bytes: the review says what that limit cut, and is incomplete.
    assert result.exit_code == 3, result.stderr
    document = json.loads(result.stdout)
    assert document["summary"]["status"] == "incomplete"
    assert document["summary"]["limits_hit"] == [
        f"source.max_file_bytes (2000000): 1 files not fetched ({document['summary']['files_reviewed']} were)"
    ]
    assert all(entry["status"] == "ok" for entry in document["summary"]["reviewers"].values())
    run = next((workspace / "runs").iterdir())
    manifest = json.loads((run / "manifest.json").read_text())
    reasons = {entry["path"]: entry["reason"] for entry in manifest["skipped"]}
    for link in ("passwd", "environ", "up", "elsewhere.py"):
        assert reasons[link] == "symbolic link"
    assert reasons["huge.py"].startswith("larger than max_file_bytes (4294967296")
    assert reasons["blob.bin"] == "binary file"
    assert reasons["pipe"] == "not a regular file"
    assert reasons["new\nline.py"] == "file name has control characters"
    assert reasons["latin\\udce9.py"] == "file name is not valid UTF-8"
    assert any(path.endswith("/") and reason.startswith("nested deeper than 64") for path, reason in reasons.items())
    included = {entry["path"] for entry in manifest["included"]}
    assert {"app/main.py", "..dots.py", "many/f19999.txt"} <= included
    assert not any(path.startswith(".git/") for path in included)
    # Nothing outside the source was read: the outside file's pickle call is nowhere in the findings.
    assert {f["file"] for f in document["findings"]} <= included | {"."}
    assert any(f["file"] == "app/main.py" and f["cwe"] == 78 for f in document["findings"])
    assert not any("outside" in f["file"] or f["file"] == "elsewhere.py" for f in document["findings"])
    assert not marker.exists()
    snapshot = run / "source"
    assert not any(path.is_symlink() for path in snapshot.rglob("*"))
    assert sum(entry["bytes"] for entry in manifest["included"]) < 10_000_000


def test_hostile_git_repository_runs_nothing_on_clone(cli, tmp_path, workspace):
    marker = tmp_path / "EXECUTED"
    sub = commit_all(tmp_path / "sub", {"s.py": "x = 1\n"})
    origin = tmp_path / "origin"
    origin.mkdir()
    git("init", "-q", "-b", "main", cwd=origin)
    (origin / "app.py").write_text("import os\nos.system(input())\n")
    (origin / ".gitattributes").write_text("*.py filter=evil\n")
    os.symlink("/etc/passwd", origin / "passwd")
    git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub), "vendored", cwd=origin)
    git("add", "-A", cwd=origin)
    git("commit", "-q", "-m", "hostile", cwd=origin)
    (origin / ".git" / "hooks" / "post-checkout").write_text(f"#!/bin/sh\ntouch {marker}\n")
    (origin / ".git" / "hooks" / "post-checkout").chmod(0o755)
    git("config", "filter.evil.smudge", f"touch {marker}; cat", cwd=origin)

    result = cli("review", f"file://{origin}", "-f", "json")
    assert result.exit_code == 0, result.stderr
    run = next((workspace / "runs").iterdir())
    manifest = json.loads((run / "manifest.json").read_text())
    reasons = {entry["path"]: entry["reason"] for entry in manifest["skipped"]}
    assert reasons == {"vendored": "submodule (not fetched)", "passwd": "symbolic link"}
    assert [entry["path"] for entry in manifest["included"]] == [".gitattributes", ".gitmodules", "app.py"]
    assert not marker.exists()
    assert not (run / "source" / "vendored").exists()
