"""Which files a reviewer reviews: ``paths`` in reviewers.yaml, the built-in excludes, and test code.

Patterns are gitignore-style globs from the repository's root (``docs/**``, ``*_pb2.py``). The
framework applies them before any reviewer runs: each reviewer's tree holds only its files in
scope, the manifest says why each file of the run is out of the default scope, and findings in
test code are marked (``Finding.in_tests``) so that reports rank them below the others.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pathspec

from framework.config.schema import Paths

# Vendored, generated and migration code: a review of it finds what nobody in the project wrote.
DEFAULT_EXCLUDES = (
    "**/vendor/**", "**/_vendor/**", "**/vendored/**", "**/third_party/**", "**/third-party/**",
    "*_pb2.py", "*_pb2_grpc.py", "*.min.js", "*.min.css", "*.bundle.js",
    "**/migrations/**", "**/alembic/versions/**",
)  # fmt: skip
# Test code, in the conventions of the common test runners.
TEST_PATTERNS = (
    "**/tests/**", "**/test/**", "**/__tests__/**", "**/spec/**", "test_*.py", "*_test.py", "*_tests.py",
    "conftest.py", "*.test.js", "*.spec.js", "*.test.ts", "*.spec.ts", "*_test.go", "*_spec.rb",
)  # fmt: skip


@functools.cache
def _spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _first_match(path: str, patterns: tuple[str, ...]) -> str | None:
    if not patterns or not _spec(patterns).match_file(path):
        return None
    return next((pattern for pattern in patterns if _spec((pattern,)).match_file(path)), patterns[0])


def is_test_path(path: str) -> bool:
    return _spec(TEST_PATTERNS).match_file(path)


@dataclass(frozen=True)
class PathScope:
    """The ``paths`` of one reviewer, compiled."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    tests: str = "rank"

    @classmethod
    def of(cls, paths: Paths) -> PathScope:
        defaults = DEFAULT_EXCLUDES if paths.default_excludes else ()
        return cls(tuple(paths.include), (*defaults, *paths.exclude), paths.tests)

    def why_out(self, path: str) -> str | None:
        """Why ``path`` is out of scope, or None when it is in."""
        if self.include and _first_match(path, self.include) is None:
            return "not matched by paths.include"
        if (pattern := _first_match(path, self.exclude)) is not None:
            built_in = pattern in DEFAULT_EXCLUDES
            return f"excluded by {'the built-in pattern' if built_in else 'paths.exclude'} {pattern!r}"
        if self.tests == "skip" and is_test_path(path):
            return "test code (paths.tests: skip)"
        return None

    def select(self, paths: list[str]) -> list[str]:
        return [path for path in paths if self.why_out(path) is None]


def out_of_scope(paths: list[str], scope: PathScope) -> list[dict[str, str]]:
    """``{"path", "reason"}`` for each of ``paths`` that ``scope`` leaves out, for the manifest."""
    found = []
    for path in paths:
        if (reason := scope.why_out(path)) is not None:
            found.append({"path": path, "reason": reason})
    return found
