"""Fixtures of the agent tests: a small repository and its source tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.tree import SourceTree


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A small repository: two Python files and a README."""
    root = tmp_path / "source"
    (root / "app").mkdir(parents=True)
    (root / "app" / "main.py").write_text(
        "import os\n\n\ndef run(command):\n    os.system(command)\n\n\ndef add(a, b):\n    return a + b\n"
    )
    (root / "app" / "util.py").write_text("".join(f"VALUE_{n} = {n}\n" for n in range(1, 601)))
    (root / "README.md").write_text("# demo\nA demo project.\n")
    return root


@pytest.fixture
def tree(source: Path) -> SourceTree:
    return SourceTree(source, ["README.md", "app/main.py", "app/util.py"])
