"""The style reviewer: ruff's JSON mapped to findings, its default rules and settings, and repository checks."""

from __future__ import annotations

import pytest

from framework import CodepanelError, ConfigError
from framework.tree import SourceTree
from reviewers.style import DEFAULT_SELECT, StyleReviewer


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
    import reviewers.style.ruff_run

    monkeypatch.setattr(reviewers.style.ruff_run, "RUFF_BATCH", 2)
    files = {"README.md": "x", "test_x.py": "x = 1\n", **{f"m{i}.py": "import os\n" for i in range(5)}}
    found = [f.file for f in style(tree_of(tmp_path, files)) if f.rule_id == "F401"]
    assert sorted(found) == [f"m{i}.py" for i in range(5)]


def test_without_a_ruff_configuration_the_defaults_point_at_bugs_not_modernizations(tmp_path):
    code = "from typing import List\n\n\ndef f(items: List[int] = []):\n    breakpoint()\n    return items == None\n"
    tree = tree_of(tmp_path, {"README.md": "x", "test_a.py": code})
    findings = {(f.rule_id, f.line): f.severity for f in style(tree)}
    # A mutable default and a debugger left in; not UP006 (List), nor E711 (== None), which are taste.
    assert findings == {("B006", 4): "medium", ("T100", 5): "medium"}
    assert not any(code.startswith("UP") for code in DEFAULT_SELECT)


def test_rule_settings_are_checked_when_the_config_loads():
    with pytest.raises(ConfigError, match=r"settings\.select: expected ruff rule codes or prefixes such as F401 or E5, got 'E5O1'"):
        StyleReviewer.settings_from({"select": ["E5O1"]})
    with pytest.raises(ConfigError, match=r"settings\.line_length: expected a positive integer, got 0"):
        StyleReviewer.settings_from({"line_length": 0})
    unset = StyleReviewer.settings_from({})
    assert (unset.select, unset.ignore, unset.line_length) == (None, None, None)


def test_a_rule_ruff_does_not_know_in_the_settings_fails_the_reviewer_in_one_line(tmp_path):
    tree = tree_of(tmp_path, {"README.md": "x", "test_a.py": "import os\n", "ruff.toml": "line-length = 90\n"})
    with pytest.raises(CodepanelError, match=r"^ruff failed: .*XYZ"):
        style(tree, {"select": ["XYZ"]})
