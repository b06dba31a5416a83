from __future__ import annotations

import pytest
from corpus_index import run_engine

from framework.tree import SourceTree
from reviewers.security.engine import review


@pytest.fixture(scope="session")
def corpus_findings() -> list[dict]:
    """The engine's findings over the whole corpus, computed once, with two worker processes."""
    return run_engine(workers=2)


@pytest.fixture
def review_files(tmp_path):
    """Review ``files`` (path: text), written under tmp_path, with one worker; returns the engine's findings."""

    def run(files: dict[str, str]) -> list[dict]:
        for name, text in files.items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(text)
        outcome = review(SourceTree(tmp_path, sorted(files)), {"workers": 1})
        assert outcome.skipped == []
        return outcome.findings

    return run
