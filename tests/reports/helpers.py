"""Helpers for the report tests: what a finished review wrote, and editing files between reviews."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Reviewed:
    """One finished `codepanel review`: the CLI result and the run folder it wrote."""

    result: object
    run: Path

    @property
    def summary(self) -> dict:
        return json.loads((self.run / "summary.json").read_text())

    @property
    def findings(self) -> list[dict]:
        return json.loads((self.run / "findings.json").read_text())

    def report(self, name: str) -> str:
        return (self.run / name).read_text()

    def one(self, **wanted) -> dict:
        matches = [
            f for f in self.findings if all(f[key] == value for key, value in wanted.items())
        ]
        assert len(matches) == 1, (
            wanted,
            [(f["rule_id"], f["file"], f["line"]) for f in self.findings],
        )
        return matches[0]


def insert_lines(path: Path, at: int, *lines: str) -> None:
    """Insert ``lines`` before line ``at`` (1-based) of ``path``."""
    text = path.read_text().splitlines(keepends=True)
    text[at - 1 : at - 1] = [line + "\n" for line in lines]
    path.write_text("".join(text))
