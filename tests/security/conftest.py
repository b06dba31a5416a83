from __future__ import annotations

import pytest
from corpus_index import run_engine


@pytest.fixture(scope="session")
def corpus_findings() -> list[dict]:
    """The engine's findings over the whole corpus, computed once, with two worker processes."""
    return run_engine(workers=2)
