"""Style reviewer: ruff's findings, plus checks on the repository as a whole."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from framework import Finding, Reviewer, hookimpl
from framework.errors import CodepanelError

DEFAULT_SELECT = ["E4", "E7", "E9", "F", "B", "UP"]
# Rules that point at likely bugs rather than taste.
MEDIUM_PREFIXES = ("E9", "F82", "F63", "F7", "B0")


class StyleReviewer(Reviewer):
    name = "style"
    description = "Python style and likely bugs (ruff), and repository hygiene"
    version = "1"
    prompt = (
        "You review code for readability, maintainability and likely bugs. Prefer few, "
        "actionable findings over nitpicks; never report formatting that a formatter fixes."
    )

    def analyze_files(self, tree, paths: list[str], settings: dict[str, Any]):
        python = [path for path in paths if path.endswith((".py", ".pyi"))]
        if python:
            yield from self.ruff(tree, python, settings)

    def analyze(self, tree, settings: dict[str, Any]):
        yield from self.repository_checks(tree)

    def ruff(self, tree, paths: list[str], settings: dict[str, Any]):
        from ruff.__main__ import find_ruff_bin

        command = [
            find_ruff_bin(), "check", "--output-format=json", "--exit-zero", "--no-cache",
            "--isolated", "--force-exclude", f"--select={','.join(settings.get('select', DEFAULT_SELECT))}",
            f"--line-length={int(settings.get('line_length', 100))}",
        ]  # fmt: skip
        if settings.get("ignore"):
            command.append(f"--ignore={','.join(settings['ignore'])}")
        completed = subprocess.run(
            [*command, "--", *paths], cwd=tree.root, capture_output=True, timeout=600, check=False
        )
        if completed.returncode != 0:
            raise CodepanelError(f"ruff failed: {completed.stderr.decode(errors='replace')[-300:]}")
        for item in json.loads(completed.stdout or b"[]"):
            path = tree.relative(tree.root / item["filename"])
            if path not in tree:
                continue
            code = item.get("code") or "syntax-error"
            yield self.finding(
                rule_id=code,
                message=item["message"],
                file=path,
                line=item["location"]["row"],
                end_line=item["end_location"]["row"],
                column=item["location"]["column"],
                severity="medium" if code.startswith(MEDIUM_PREFIXES) or code == "syntax-error" else "low",
                confidence="high",
                recommendation=(item.get("fix") or {}).get("message") or f"See {item.get('url')}",
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


def _is_test(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return "tests/" in path or "test/" in path or name.startswith("test_") or name.endswith("_test.py")


@hookimpl
def register_reviewers(register):
    register(StyleReviewer)
