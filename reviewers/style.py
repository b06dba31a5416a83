"""Style reviewer: ruff's findings, plus checks on the repository as a whole."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from pydantic import Field

from framework import CodepanelError, Reviewer, ReviewerSettings, hookimpl

DEFAULT_SELECT = ["E4", "E7", "E9", "F", "B", "UP"]
# Rules that point at likely bugs rather than taste, and rules that only modernize.
MEDIUM_PREFIXES = ("E9", "F82", "F63", "F7", "B0")
INFO_PREFIXES = ("UP",)
RUFF_BATCH = 2000


class StyleSettings(ReviewerSettings):
    # ruff rule codes or prefixes to report, and to leave out.
    select: list[str] = Field(default_factory=lambda: list(DEFAULT_SELECT))
    ignore: list[str] = Field(default_factory=list)
    line_length: int = Field(default=100, gt=0, strict=True)


class StyleReviewer(Reviewer):
    name = "style"
    description = "Python style and likely bugs (ruff), and repository hygiene"
    version = "1"
    Settings = StyleSettings
    covers = ("*.py", "*.pyi")
    prompt = (
        "You review code for readability, maintainability and likely bugs. Prefer few, "
        "actionable findings over nitpicks; never report formatting that a formatter fixes."
    )

    def analyze_files(self, tree, paths: list[str], settings: StyleSettings):
        python = [path for path in paths if path.endswith((".py", ".pyi"))]
        if python:
            yield from self.ruff(tree, python, settings)

    def analyze(self, tree, settings: StyleSettings):
        yield from self.repository_checks(tree)

    def ruff(self, tree, paths: list[str], settings: StyleSettings):
        from ruff.__main__ import find_ruff_bin

        command = [
            find_ruff_bin(), "check", "--output-format=json", "--exit-zero", "--no-cache",
            "--isolated", "--force-exclude", f"--select={','.join(settings.select)}",
            f"--line-length={settings.line_length}",
        ]  # fmt: skip
        if settings.ignore:
            command.append(f"--ignore={','.join(settings.ignore)}")
        syntax_errors = set()
        for item in _run_ruff(command, paths, tree.root):
            path = tree.relative(tree.root / item["filename"])
            code = item.get("code") or "invalid-syntax"
            if code == "invalid-syntax":  # ruff reports each parse error; one per file is enough
                if path in syntax_errors:
                    continue
                syntax_errors.add(path)
                code = "syntax-error"
            if path not in tree:
                continue
            yield self.finding(
                rule_id=code,
                message=item["message"],
                file=path,
                line=item["location"]["row"],
                end_line=item["end_location"]["row"],
                column=item["location"]["column"],
                severity=_severity(code),
                confidence="high",
                recommendation=_recommendation(item),
                details={"url": item.get("url"), "name": item.get("name"), **({"fix": item["fix"]} if item.get("fix") else {})},
            )

    def repository_checks(self, tree):
        names = [path.lower() for path in tree.files]
        top = {name for name in names if "/" not in name}
        if not any(name.startswith("readme") for name in top):
            yield self.finding(
                rule_id="repo.no-readme", message="The repository has no README at its root",
                file=".", severity="low", confidence="high",
                recommendation="Add a README that says what the project is and how to use it.",
            )  # fmt: skip
        if tree.python_files() and not any(_is_test(name) for name in names):
            yield self.finding(
                rule_id="repo.no-tests", message="The repository has Python code but no tests",
                file=".", severity="low", confidence="medium",
                recommendation="Add tests (for example with pytest) for the behaviour that matters.",
            )  # fmt: skip


def _run_ruff(command: list[str], paths: list[str], cwd) -> list[dict[str, Any]]:
    items = []
    # In batches, so that tens of thousands of paths never overflow the command line.
    for start in range(0, len(paths), RUFF_BATCH):
        completed = subprocess.run(
            [*command, "--", *paths[start : start + RUFF_BATCH]], cwd=cwd, capture_output=True,
            timeout=600, check=False,
        )  # fmt: skip
        if completed.returncode != 0:
            raise CodepanelError(f"ruff failed: {completed.stderr.decode(errors='replace')[-300:]}")
        items.extend(json.loads(completed.stdout or b"[]"))
    return items


def _recommendation(item: dict[str, Any]) -> str:
    if (item.get("fix") or {}).get("message"):
        return item["fix"]["message"]
    if item.get("code") in (None, "invalid-syntax"):
        return "Fix the syntax error: no other rule could check this file."
    return f"See {item['url']}" if item.get("url") else ""


def _severity(code: str) -> str:
    if code.startswith(MEDIUM_PREFIXES) or code == "syntax-error":
        return "medium"
    return "info" if code.startswith(INFO_PREFIXES) else "low"


def _is_test(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return "tests/" in path or "test/" in path or name.startswith("test_") or name.endswith("_test.py")


@hookimpl
def register_reviewers(register):
    register(StyleReviewer)
