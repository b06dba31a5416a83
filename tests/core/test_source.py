"""Fetching sources: snapshots honour .gitignore and limits, never follow links; clones never check out."""

from __future__ import annotations

import os
import socket

import pytest

from framework import source
from framework.config import SourceLimits
from framework.errors import SourceError
from tests.conftest import commit_all, git


def fetch(target, tmp_path, **limits):
    return source.fetch(str(target), tmp_path / "snapshot", SourceLimits(**limits), allow_local=True)


def included(manifest):
    return [entry["path"] for entry in manifest["included"]]


def skipped(manifest):
    return {entry["path"]: entry["reason"] for entry in manifest["skipped"]}


def test_snapshot_copies_files_in_a_stable_order(repo, tmp_path):
    manifest = fetch(repo, tmp_path)
    assert included(manifest) == ["README.md", "app/__init__.py", "app/util.py", "app/views.py"]
    assert (tmp_path / "snapshot" / "app" / "views.py").read_text() == (repo / "app" / "views.py").read_text()
    assert manifest["totals"]["files"] == 4
    assert manifest["kind"] == "directory"


def test_snapshot_honours_nested_gitignore_files(tmp_path):
    root = tmp_path / "r"
    (root / "build").mkdir(parents=True)
    (root / "pkg" / "data").mkdir(parents=True)
    (root / ".gitignore").write_text("build/\n*.log\n")
    (root / "pkg" / ".gitignore").write_text("data/\n")
    for name in ("build/x.py", "a.log", "keep.py", "pkg/data/blob.txt", "pkg/mod.py", "pkg/b.log"):
        (root / name).write_text("x")
    manifest = fetch(root, tmp_path)
    assert included(manifest) == [".gitignore", "keep.py", "pkg/.gitignore", "pkg/mod.py"]
    assert skipped(manifest) == {"build/": "ignored by .gitignore", "pkg/data/": "ignored by .gitignore"}


def test_symlinks_are_never_followed(tmp_path):
    root = tmp_path / "r"
    root.mkdir()
    (root / "real.py").write_text("print(1)\n")
    os.symlink("/etc/passwd", root / "passwd")
    os.symlink("..", root / "up")
    os.symlink(root / "real.py", root / "inside.py")
    os.symlink("/etc", root / "etc-dir")
    manifest = fetch(root, tmp_path)
    assert included(manifest) == ["real.py"]
    assert skipped(manifest) == {name: "symbolic link" for name in ("etc-dir", "inside.py", "passwd", "up")}
    assert not any(path.is_symlink() for path in (tmp_path / "snapshot").rglob("*"))


def test_limits_skip_files_and_say_why(tmp_path):
    root = tmp_path / "r"
    root.mkdir()
    (root / "big.py").write_text("x" * 500)
    for index in range(5):
        (root / f"f{index}.py").write_text("y" * 10)
    (root / "blob.bin").write_bytes(b"\0\1\2" * 10)
    manifest = fetch(root, tmp_path, max_file_bytes=100, max_files=3)
    assert included(manifest) == ["f0.py", "f1.py", "f2.py"]
    reasons = skipped(manifest)
    assert reasons["big.py"] == "larger than max_file_bytes (500 > 100 bytes)"
    assert reasons["blob.bin"] == "binary file"
    assert reasons["f3.py"] == reasons["f4.py"] == "file count limit reached (max_files=3)"


def test_total_size_limit(tmp_path):
    root = tmp_path / "r"
    root.mkdir()
    for index in range(4):
        (root / f"f{index}.py").write_text("z" * 40)
    manifest = fetch(root, tmp_path, max_total_bytes=100)
    assert included(manifest) == ["f0.py", "f1.py"]
    assert skipped(manifest)["f2.py"] == "total size limit reached (max_total_bytes=100)"


def test_unsafe_file_names_are_skipped(tmp_path):
    root = tmp_path / "r"
    root.mkdir()
    (root / "ok.py").write_text("1")
    (root / "new\nline.py").write_text("2")
    os.close(os.open(os.path.join(os.fsencode(root), b"bad\xff.py"), os.O_CREAT | os.O_WRONLY))
    manifest = fetch(root, tmp_path)
    assert included(manifest) == ["ok.py"]
    assert sorted(skipped(manifest).values()) == ["file name has control characters", "file name is not valid UTF-8"]


def make_git_repo(tmp_path):
    origin = tmp_path / "origin"
    origin.mkdir()
    os.symlink("/etc/passwd", origin / "link")
    files = {"app.py": "import pickle\n", "big.txt": "b" * 5000, ".gitattributes": "*.py filter=evil\n"}
    return commit_all(origin, files)


def test_git_clone_reads_the_tree_without_checking_out(tmp_path):
    origin = make_git_repo(tmp_path)
    # A filter driver that would run on checkout: a clone that checked out would create the marker.
    marker = tmp_path / "pwned"
    git("config", "filter.evil.smudge", f"touch {marker}; cat", cwd=origin)
    manifest = fetch(f"file://{origin}", tmp_path, max_file_bytes=1000)
    assert manifest["kind"] == "git" and len(manifest["commit"]) == 40
    assert included(manifest) == [".gitattributes", "app.py"]
    assert skipped(manifest) == {"big.txt": "larger than max_file_bytes (5000 > 1000 bytes)", "link": "symbolic link"}
    assert not marker.exists()


def test_url_policy(tmp_path):
    limits = SourceLimits()
    assert source.classify("https://github.com/o/r.git", limits, allow_local=False) == "git"
    for url, message in [
        ("http://github.com/o/r", "scheme 'http' is not allowed"),
        ("ssh://git@github.com/o/r", "scheme 'ssh' is not allowed"),
        ("ext::sh -c touch% /tmp/x", "scheme 'ext' is not allowed"),
        ("https://evil.example/o/r", "host 'evil.example' is not allowed"),
        ("/some/dir", "local sources are refused here"),
        ("file:///some/repo", "local sources are refused here"),
    ]:
        with pytest.raises(SourceError, match=message):
            source.classify(url, limits, allow_local=False)


def test_hosts_may_be_wildcards():
    limits = SourceLimits(allowed_hosts=["*.example.com"])
    assert source.classify("https://git.example.com/r", limits, allow_local=False) == "git"
    with pytest.raises(SourceError):
        source.classify("https://example.com.evil.org/r", limits, allow_local=False)


def test_credentials_never_reach_errors_or_manifests(tmp_path):
    assert source.redact("https://user:s3cret@github.com/o/r") == "https://github.com/o/r"
    limits = SourceLimits(allowed_hosts=["localhost"], clone_timeout=20)
    with pytest.raises(SourceError) as raised:
        source.fetch("https://user:s3cret@localhost:9/o/r", tmp_path / "s", limits, allow_local=False)
    assert "s3cret" not in str(raised.value)
    assert "clone failed" in str(raised.value)


def test_local_sources_are_refused_on_lambda(monkeypatch, repo, tmp_path):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "codepanel-orchestrator")
    with pytest.raises(SourceError, match="local sources are refused here"):
        source.fetch(str(repo), tmp_path / "s", SourceLimits())


def test_artefact_directories_are_listed_once_and_not_copied(tmp_path):
    root = tmp_path / "r"
    (root / "pkg" / "__pycache__").mkdir(parents=True)
    (root / "pkg" / "__pycache__" / "m.cpython-311.pyc").write_bytes(b"\0" * 10)
    (root / "pkg" / "m.py").write_text("x = 1\n")
    manifest = fetch(root, tmp_path)
    assert included(manifest) == ["pkg/m.py"]
    assert skipped(manifest) == {"pkg/__pycache__/": "compiled Python cache"}


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("169.254.169.254", "link-local"),
    ("10.1.2.3", "private"), ("192.168.0.1", "private"), ("172.16.5.4", "private"),
    ("::ffff:127.0.0.1", "loopback"), ("fe80::1%eth0", "link-local"), ("fd00::1", "private"),
    ("0.0.0.0", "unspecified"), ("224.0.0.1", "multicast"), ("100.64.0.1", "non-global"),
    ("140.82.121.3", None), ("2606:4700::6810:84e5", None),
])
def test_non_public_addresses(address, kind):
    assert source.non_public(address) == kind


def test_private_addresses_are_refused_after_resolution_on_aws(monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "codepanel-orchestrator")
    limits = SourceLimits(allowed_hosts=["localhost", "metadata.internal"])
    with pytest.raises(SourceError, match=r"'localhost' resolves to (127\.0\.0\.1|::1), a loopback address"):
        source.fetch("https://localhost/o/r.git", tmp_path / "s", limits)
    fake = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", 443))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: fake)
    with pytest.raises(SourceError, match="169.254.169.254, a link-local address"):
        source.fetch("https://metadata.internal/o/r.git", tmp_path / "t", limits)


def test_public_addresses_are_pinned_for_git(monkeypatch):
    fake = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("140.82.121.3", 443))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: fake)
    limits = SourceLimits(private_networks="refuse")
    assert source.vet_address("https://github.com/o/r", limits) == "github.com:443:140.82.121.3"
    assert source.vet_address("https://github.com/o/r", SourceLimits(private_networks="allow")) is None
