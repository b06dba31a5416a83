"""Every hook is documented in docs/plugins.md and exercised by a test."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from framework import hookspecs

ROOT = Path(__file__).resolve().parents[2]
HOOKS = sorted(
    name for name, function in vars(hookspecs).items()
    if inspect.isfunction(function) and hasattr(function, "codepanel_spec")
)  # fmt: skip


def test_the_hooks_are_found():
    assert "aggregate_findings" in HOOKS and "register_reviewers" in HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_section_in_the_plugin_docs(hook):
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    assert f"## `{hook}`" in docs


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_one_line_docstring_and_type_hints(hook):
    function = getattr(hookspecs, hook)
    assert function.__doc__ and "\n" not in function.__doc__.strip()
    assert all(name in function.__annotations__ for name in inspect.signature(function).parameters)


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_used_by_a_test(hook):
    tests = [path for path in (ROOT / "tests").rglob("test_*.py") if path.name != Path(__file__).name]
    assert any(hook in path.read_text(encoding="utf-8") for path in tests)
