"""The workspace: unique run ids, atomic writes, the documented layout, confined reads."""

from __future__ import annotations

import json
import os

import pytest

from framework.errors import PathRefused, WorkspaceError
from framework.run.workspace import RUN_ID_PATTERN, Workspace, new_run_id, write_json
from framework.tree import SourceTree


def test_run_ids_are_unique_and_sortable():
    ids = {new_run_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert all(RUN_ID_PATTERN.match(run_id) for run_id in ids)


def test_invalid_run_ids_are_refused(tmp_path):
    for bad in ("../etc", "", "20260101T000000Z-zzzzzzzz", "x"):
        with pytest.raises(WorkspaceError):
            Workspace(tmp_path).run(bad)


def test_creating_a_run_twice_fails(tmp_path):
    run = Workspace(tmp_path).run(new_run_id()).create()
    with pytest.raises(WorkspaceError, match="already exists"):
        Workspace(tmp_path).run(run.id).create()


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "results.json"
    write_json(target, {"a": 1})
    with pytest.raises(TypeError):
        write_json(target, {"a": object()})
    assert json.loads(target.read_text()) == {"a": 1}
    assert [path.name for path in tmp_path.iterdir()] == ["results.json"]


def test_statuses_skip_unreadable_files(tmp_path):
    run = Workspace(tmp_path).run(new_run_id()).create()
    run.set_status("a", "running")
    run.status_path("b").write_text("{half")
    assert run.statuses() == {"a": {"reviewer": "a", "status": "running"}}


def test_the_workspace_defaults_to_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CODEPANEL_WORKSPACE", str(tmp_path / "mnt"))
    assert Workspace().root == tmp_path / "mnt"
    assert Workspace().config_path == tmp_path / "mnt" / "config" / "reviewers.yaml"


def test_reading_an_unpublished_config_says_how_to_publish(tmp_path):
    with pytest.raises(WorkspaceError, match="codepanel deploy"):
        Workspace(tmp_path).read_config_text()


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "source"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "a.py").write_text("one\ntwo\n")
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", root / "pkg" / "link.txt")
    os.symlink(tmp_path, root / "outside")
    return SourceTree(root, ["pkg/a.py"])


@pytest.mark.parametrize("path", [
    "/etc/passwd", "../secret.txt", "pkg/../../secret.txt", "pkg/link.txt", "outside/secret.txt",
    "", "pkg/\0a.py", "..\\secret.txt", "C:/Windows",
])
def test_tree_refuses_paths_that_leave_it(tree, path):
    with pytest.raises(PathRefused):
        tree.read_text(path)


def test_tree_reads_inside(tree):
    assert tree.read_text("pkg/a.py") == "one\ntwo\n"
    assert tree.read_text("./pkg//a.py", limit=3) == "one"
    assert tree.line("pkg/a.py", 2) == "two"
    assert tree.line("pkg/a.py", 9) == ""
    assert "pkg/a.py" in tree and len(tree) == 1


def test_writing_to_a_device_or_a_fifo_writes_into_it_and_never_replaces_it(tmp_path, cli, repo):
    import stat
    import threading

    from framework.run.workspace import write_atomic

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, "report\n")
    reader.join(timeout=10)
    assert received == [b"report\n"] and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    # `-o /dev/null`, as root too: the device stays a device.
    assert cli("review", str(repo), "-r", "security", "-f", "json", "-o", os.devnull).exit_code == 0
    assert stat.S_ISCHR(os.lstat(os.devnull).st_mode)
