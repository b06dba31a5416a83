"""Fixtures for the report tests: run a review through the CLI and read back what it wrote."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.reports.helpers import Reviewed


@pytest.fixture
def review(cli, workspace):
    """``review(path, *options, exit=0)``: run `codepanel review` and check its exit code."""

    def run(target: Path, *options: str, exit: int | None = 0) -> Reviewed:
        before = set(_runs(workspace))
        result = cli("review", str(target), "--no-progress", *options)
        if exit is not None:
            assert result.exit_code == exit, result.output + result.stderr
        new = sorted(set(_runs(workspace)) - before)
        if not new:  # an unchanged tree: the run before answers it (framework/run/reuse.py)
            reused = re.search(r"Unchanged since run (\S+):", result.stderr)
            assert reused, result.output + result.stderr
            return Reviewed(result, workspace / "runs" / reused.group(1))
        assert len(new) == 1, new
        return Reviewed(result, new[0])

    return run


def _runs(workspace: Path) -> list[Path]:
    runs = workspace / "runs"
    return sorted(runs.iterdir()) if runs.is_dir() else []
