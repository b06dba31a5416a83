"""The result cache: reused while nothing changes, per file for reviewers that analyse files, and
invalidated by a change of settings or version."""

from __future__ import annotations

from typing import ClassVar

import pytest
import yaml

from framework import config as config_module
from framework.errors import CodepanelError
from framework.reviewer import Reviewer
from framework.run import cache
from framework.tree import SourceTree
from tests.conftest import touch


def cache_stats(done, reviewer):
    return done.summary["reviewers"][reviewer]["cache"]


def fingerprints(done):
    return sorted(f["fingerprint"] for f in done.findings)


def test_an_unchanged_tree_reuses_every_result(review, repo, workspace):
    first = review(repo)
    assert cache_stats(first, "style") == {
        "enabled": True, "files_analyzed": 0, "files_reused": 0, "tree": "analyzed",
    }  # fmt: skip
    # The last result of each reviewer is read back whole (a touched tree: an untouched one is
    # answered by the run before, tests/core/test_reuse.py)...
    touch(repo)
    second = review(repo)
    reused = {"enabled": True, "files_analyzed": 0, "files_reused": 4, "result": "reused"}
    assert cache_stats(second, "style") == cache_stats(second, "security") == reused
    assert second.findings == first.findings and len(first.findings) == 5
    # ...and without it, from the whole-tree entries. The security engine follows data across modules,
    # and what ruff reports on a file depends on the project's ruff configuration: both are cached for
    # the tree as a whole (per-file entries are tested with the Counting reviewer below).
    for last in (workspace / "cache").glob("*.result-*.json"):
        last.unlink()
    touch(repo)
    third = review(repo)
    assert cache_stats(third, "style") == cache_stats(third, "security") == {
        "enabled": True, "files_analyzed": 0, "files_reused": 0, "tree": "reused",
    }  # fmt: skip
    assert fingerprints(third) == fingerprints(first)


def test_changing_one_file_analyses_the_tree_again(review, repo):
    first = review(repo)
    util = repo / "app" / "util.py"
    util.write_text(util.read_text().replace("import sys\n", "import sys\nimport json\n"))
    second = review(repo)
    # Whole-tree analyses (the style reviewer's ruff and repository checks, the security engine)
    # run again on any change.
    assert cache_stats(second, "style") == {
        "enabled": True, "files_analyzed": 0, "files_reused": 0, "tree": "analyzed",
    }  # fmt: skip
    assert cache_stats(second, "security")["tree"] == "analyzed"
    assert len(second.findings) == len(first.findings) + 1  # json is unused too
    assert [f["line"] for f in second.findings if f["rule_id"] == "F401"] == [2, 3]


def test_the_cache_is_invalidated_when_a_reviewers_settings_change(review, repo, config_file):
    assert {f["rule_id"] for f in review(repo).findings if f["reviewer"] == "style"} == {
        "F401",
        "F821",
        "repo.no-tests",
    }
    data = yaml.safe_load(config_file.read_text())
    data["reviewers"]["style"]["settings"]["select"] = ["E9", "F82"]
    config_file.write_text(yaml.safe_dump(data))
    done = review(repo)
    assert cache_stats(done, "style")["tree"] == "analyzed"
    assert cache_stats(done, "security")["result"] == "reused"  # its settings did not change
    assert {f["rule_id"] for f in done.findings if f["reviewer"] == "style"} == {
        "F821",
        "repo.no-tests",
    }


def test_no_cache_analyses_everything_and_stores_nothing(review, repo, workspace):
    done = review(repo, "--no-cache")
    assert cache_stats(done, "style") == {"enabled": False}
    assert not (workspace / "cache").exists()


class Counting(Reviewer):
    name = "counting"
    version = "1"
    calls: ClassVar[list] = []

    def analyze_files(self, tree, paths, settings):
        self.calls.append(("files", tuple(paths)))
        for path in paths:
            if settings.get("word", "todo") in tree.read_text(path):
                yield self.finding(rule_id="word", message="word", file=path)

    def analyze(self, tree, settings):
        self.calls.append(("tree", len(tree)))
        yield self.finding(rule_id="count", message=f"{len(tree)} files", file=".")


def resolved(settings=None):
    entry = {"plugin": "counting", "settings": settings or {}}
    return config_module.validate({"reviewers": {"counting": entry}}).resolved("counting")


@pytest.fixture
def source(tmp_path):
    root = tmp_path / "src"
    root.mkdir()
    for name, text in {"a.py": "todo\n", "b.py": "done\n", "c.py": "todo later\n"}.items():
        (root / name).write_text(text)
    return root


def run(root, reviewer, config, cache_dir):
    tree = SourceTree(root, sorted(p.name for p in root.iterdir()))
    findings, stats = cache.analyze(reviewer, tree, config, reviewer.settings_from(config.settings), cache_dir)
    return [(f.rule_id, f.file, f.message) for f in findings], stats


def test_files_are_analysed_once_until_they_change(source, tmp_path):
    Counting.calls = []
    store = tmp_path / "cache"
    first, _ = run(source, Counting(), resolved(), store)
    second, stats = run(source, Counting(), resolved(), store)
    assert (
        first
        == second
        == [("word", "a.py", "word"), ("word", "c.py", "word"), ("count", ".", "3 files")]
    )
    assert Counting.calls == [("files", ("a.py", "b.py", "c.py")), ("tree", 3)]
    assert stats == {"enabled": True, "files_analyzed": 0, "files_reused": 3, "tree": "reused"}
    (source / "b.py").write_text("todo now\n")
    third, _ = run(source, Counting(), resolved(), store)
    assert Counting.calls[2:] == [("files", ("b.py",)), ("tree", 3)]
    assert [f for f in third if f[0] == "word"] == [
        ("word", "a.py", "word"),
        ("word", "b.py", "word"),
        ("word", "c.py", "word"),
    ]


def test_a_new_version_or_new_settings_start_afresh(source, tmp_path, monkeypatch):
    Counting.calls = []
    store = tmp_path / "cache"
    run(source, Counting(), resolved(), store)
    run(source, Counting(), resolved({"word": "done"}), store)
    monkeypatch.setattr(Counting, "version", "2")
    found, _ = run(source, Counting(), resolved({"word": "done"}), store)
    assert [call[0] for call in Counting.calls] == ["files", "tree"] * 3
    assert [f for f in found if f[0] == "word"] == [("word", "b.py", "word")]


def test_a_per_file_finding_on_another_file_is_an_error(source, tmp_path):
    class Stray(Reviewer):
        name = "stray"

        def analyze_files(self, tree, paths, settings):
            yield self.finding(rule_id="x", message="x", file="elsewhere.py")

    with pytest.raises(
        CodepanelError, match="'elsewhere.py', which is not among the paths it was given"
    ):
        run(source, Stray(), resolved(), tmp_path / "cache")


def test_a_corrupt_store_is_ignored_and_rewritten(source, tmp_path):
    store = tmp_path / "cache"
    run(source, Counting(), resolved(), store)
    (path,) = store.iterdir()
    path.write_text("{not json")
    Counting.calls = []
    found, stats = run(source, Counting(), resolved(), store)
    assert stats["files_analyzed"] == 3 and len(found) == 3
    assert path.read_text().startswith(f'{{"format":{cache.CACHE_FORMAT},')
