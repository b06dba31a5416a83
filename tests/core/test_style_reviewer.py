"""The style reviewer: ruff's JSON mapped to findings, and repository checks."""

from __future__ import annotations

from framework.tree import SourceTree
from reviewers.style import StyleReviewer


def style(tree, settings=None):
    """Everything the style reviewer finds: its whole-tree checks and its per-file ones."""
    reviewer = StyleReviewer()
    settings = reviewer.settings_from(settings or {})
    return [*reviewer.analyze(tree, settings), *reviewer.analyze_files(tree, tree.files, settings)]


def tree_of(tmp_path, files):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return SourceTree(tmp_path, sorted(files))


def test_ruff_findings_are_mapped_with_fixes_and_severities(tmp_path):
    tree = tree_of(tmp_path, {"README.md": "x", "tests/test_a.py": "", "a.py": "import os\nprint(nope)\n", "b.py": "def (:\n"})
    findings = {(f.rule_id, f.file, f.line): f for f in style(tree)}
    unused = findings[("F401", "a.py", 1)]
    assert (unused.severity, unused.confidence, unused.column) == ("low", "high", 8)
    assert unused.details["fix"]["edits"][0]["content"] == ""
    assert unused.recommendation == "Remove unused import: `os`"
    assert findings[("F821", "a.py", 2)].severity == "medium"
    assert findings[("syntax-error", "b.py", 1)].severity == "medium"
    assert not any(rule.startswith("repo.") for rule, _, _ in findings)


def test_settings_select_and_ignore_rules(tmp_path):
    tree = tree_of(tmp_path, {"README.md": "x", "test_a.py": "import os\nprint(nope)\n"})
    rules = {f.rule_id for f in style(tree, {"select": ["F"], "ignore": ["F401"]})}
    assert rules == {"F821"}


def test_repository_checks(tmp_path):
    rules = {f.rule_id for f in style(tree_of(tmp_path, {"pkg/mod.py": "x = 1\n"}))}
    assert rules == {"repo.no-readme", "repo.no-tests"}


def test_files_outside_the_reviewed_list_are_not_reported(tmp_path):
    (tmp_path / "extra.py").write_text("import os\n")
    tree = tree_of(tmp_path, {"README.md": "x", "test_x.py": "x = 1\n"})
    assert [f.file for f in style(tree)] == []


def test_ruff_runs_in_batches_and_keeps_every_finding(tmp_path, monkeypatch):
    import reviewers.style

    monkeypatch.setattr(reviewers.style, "RUFF_BATCH", 2)
    files = {"README.md": "x", "test_x.py": "x = 1\n", **{f"m{i}.py": "import os\n" for i in range(5)}}
    found = [f.file for f in style(tree_of(tmp_path, files)) if f.rule_id == "F401"]
    assert sorted(found) == [f"m{i}.py" for i in range(5)]
