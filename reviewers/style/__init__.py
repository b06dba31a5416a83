"""Style reviewer: ruff's findings under the reviewed project's own configuration, plus checks on the
repository as a whole."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from framework import CodepanelError, PathRefused, Reviewer, ReviewerSettings, hookimpl
from reviewers.style.ruff_config import Configurations, Scope
from reviewers.style.ruff_run import RuffFailed, run_ruff

# For a tree (or a part of one) without a ruff configuration: rules that point at likely bugs
# (syntax and undefined names, pyflakes, bugbear, pylint's errors, a debugger left in, asyncio
# tasks that can vanish, duplicate class fields and enum values, misused exceptions and loops),
# never taste or modernization (no UP: it is most of what ruff says about older code).
DEFAULT_SELECT = ["E9", "F", "B", "PLE", "T10", "RUF006", "PIE794", "PIE796", "PLW0120", "PLW0711"]
# Rules that point at likely bugs rather than taste, and rules that only modernize.
MEDIUM_PREFIXES = ("E9", "F82", "F63", "F7", "B0", "PLE", "T10")
INFO_PREFIXES = ("UP",)
RULE_SELECTOR = re.compile(r"ALL|[A-Z]{1,8}[0-9]{0,4}")


class StyleSettings(ReviewerSettings):
    # Unset, the reviewed project's ruff configuration decides (else DEFAULT_SELECT, []); set, they
    # override it: ruff's --select, --ignore and --line-length.
    select: list[str] | None = None
    ignore: list[str] | None = None
    line_length: int | None = Field(default=None, gt=0, strict=True)

    @field_validator("select", "ignore")
    @classmethod
    def _rule_selectors(cls, value: list[str] | None) -> list[str] | None:
        for code in value or ():
            if not RULE_SELECTOR.fullmatch(code):
                raise ValueError(f"expected ruff rule codes or prefixes such as F401 or E5, got {code!r}")
        return value


class StyleReviewer(Reviewer):
    name = "style"
    description = "Python style and likely bugs (ruff), and repository hygiene"
    # 3: files over limits.max_file_bytes and files ruff dies on are skipped, with the reason.
    version = "3"
    Settings = StyleSettings
    covers = ("*.py", "*.pyi")
    prompt = (
        "You review code for readability, maintainability and likely bugs. Prefer few, "
        "actionable findings over nitpicks; never report formatting that a formatter fixes."
    )

    # NOTE: analyze, not analyze_files. What ruff reports on a file depends on the configuration
    # files that apply to it, and the per-file cache knows only the file's own content; analyze's
    # cache is keyed by every file of the tree, so a change of configuration runs ruff again.
    def analyze(self, tree, settings: StyleSettings):
        self.skipped = []
        yield from self.repository_checks(tree)
        if python := self.within_size(tree, tree.python_files()):
            yield from self.ruff(tree, python, settings)

    def within_size(self, tree, paths: list[str]) -> list[str]:
        """The files ruff may read whole: ``limits.max_file_bytes`` holds for ruff as for every reader."""
        kept = []
        for path in paths:
            try:
                size = tree.resolve(path).stat().st_size
            except (OSError, PathRefused):
                self.skipped.append({"path": path, "reason": "unreadable"})
                continue
            if size > tree.max_file_bytes:
                self.skipped.append({"path": path, "reason": f"larger than limits.max_file_bytes ({tree.max_file_bytes} bytes)"})
            else:
                kept.append(path)
        return kept

    def ruff(self, tree, paths: list[str], settings: StyleSettings):
        # The vetted copies of the project's configurations live here, outside the snapshot.
        with tempfile.TemporaryDirectory(prefix="codepanel-ruff-") as scratch:
            for index, scope in enumerate(Configurations(tree).scopes(paths)):
                items, skipped = [], []
                if scope.files:
                    folder = Path(scratch, str(index))
                    try:
                        items, skipped = run_ruff(tree, scope, folder, **self.options(scope, settings))
                    except RuffFailed as error:
                        if not scope.chain:
                            raise CodepanelError(f"ruff failed: {error}") from None
                        scope.problems.append(f"ruff refused it: {error}")
                        scope.chain = []  # its files get the defaults, with the Python it asked for
                        try:
                            folder = Path(scratch, f"{index}-defaults")
                            items, skipped = run_ruff(tree, scope, folder, **self.options(scope, settings))
                        except RuffFailed as again:
                            raise CodepanelError(f"ruff failed: {again}") from None
                self.skipped += skipped
                if scope.config and scope.problems:
                    yield self.config_finding(scope)
                yield from self.ruff_findings(tree, items)

    @staticmethod
    def options(scope: Scope, settings: StyleSettings) -> dict[str, Any]:
        """reviewers.yaml's settings over the project's configuration; codepanel's rules where it has none."""
        select = settings.select
        if select is None and not scope.chain:
            select = DEFAULT_SELECT  # not ruff's defaults
        return {"select": select, "ignore": settings.ignore, "line_length": settings.line_length}

    def ruff_findings(self, tree, items: list[dict[str, Any]]):
        syntax_errors = set()
        for item in items:
            try:
                path = tree.relative(Path(item["filename"]))
            except ValueError:
                continue
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

    def config_finding(self, scope: Scope):
        if scope.chain:
            message = "ruff was not given part of this configuration: "
        else:
            message = "ruff could not use this configuration; its files were checked with codepanel's defaults: "
        return self.finding(
            rule_id="ruff-config", message=message + "; ".join(scope.problems), file=scope.config, line=1,
            severity="low", confidence="high", details={"problems": scope.problems},
            recommendation="Keep the ruff configuration inside the repository, with options this ruff knows.",
        )  # fmt: skip

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
