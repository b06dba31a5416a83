"""Testing a reviewer: run it on a few files as a review would, with no workspace, process or model.

A pytest plugin. In your project's top-level ``conftest.py``::

    pytest_plugins = ["framework.testing"]

then take the ``review_files`` fixture in a test::

    def test_todo_markers_are_found(review_files):
        findings = review_files(TodoReviewer, {"app.py": "x = 1  # TODO\\n"}, settings={"markers": ["TODO"]})
        assert [(f.rule_id, f.file, f.line) for f in findings] == [("todo.marker", "app.py", 1)]

The files are written to the test's ``tmp_path``; the settings are validated against the
reviewer's ``Settings`` as reviewers.yaml would be; ``analyze_files`` is called in batches, as a
review calls it; and every contract a review enforces is checked, so a test fails where a review
would (a ``CodepanelError``): a finding that is not a ``Finding``, one on a path ``analyze_files``
was not given, or ``details`` that are not JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from framework.findings import Finding, assign_fingerprints, sort_key
from framework.reviewer import Reviewer
from framework.tree import SourceTree


def run_on_files(
    reviewer: type[Reviewer],
    files: Mapping[str, str | bytes],
    root: str | Path,
    settings: Mapping[str, Any] | None = None,
    max_file_bytes: int = 1_000_000,
) -> list[Finding]:
    """Write ``files`` under ``root`` and review them with ``reviewer``; its findings, sorted as in a review."""
    from framework import config
    from framework.run import cache

    root = Path(root)
    for name, content in files.items():
        path = root.joinpath(*name.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    tree = SourceTree(root, sorted(files), max_file_bytes)
    checked = reviewer.settings_from(settings)
    entry = {"plugin": reviewer.name or "reviewer", "settings": dict(settings or {}), "limits": {"max_file_bytes": max_file_bytes}}
    resolved = config.validate({"reviewers": {reviewer.name or "reviewer": entry}}).resolved(reviewer.name or "reviewer")
    # NOTE: through the result cache (in a folder of its own), so that analyze_files gets its batches.
    findings, _ = cache.analyze(reviewer(), tree, resolved, checked, root.parent / f".{root.name}-cache")
    for finding in findings:
        finding.reviewer = reviewer.name
    assign_fingerprints(findings, tree)
    return sorted(findings, key=sort_key)


@pytest.fixture
def review_files(tmp_path: Path) -> Callable[..., list[Finding]]:
    """``review_files(ReviewerClass, {"path": "content"}, settings=None)``: the findings of a review of those files."""
    counter = iter(range(1_000_000))

    def review(reviewer: type[Reviewer], files: Mapping[str, str | bytes], settings: Mapping[str, Any] | None = None,
               max_file_bytes: int = 1_000_000) -> list[Finding]:
        return run_on_files(reviewer, files, tmp_path / f"source-{next(counter)}", settings, max_file_bytes)

    return review
