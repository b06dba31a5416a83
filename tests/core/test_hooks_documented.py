"""Every hook has a section in docs/plugins.md and at least one test that uses it."""

from __future__ import annotations

import inspect

import pytest

from framework import hookspecs

from tests.conftest import PROJECT

HOOKS = [
    name
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(function, "codepanel_spec")
]


def test_there_are_hooks():
    assert "register_reviewers" in HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented(hook):
    docs = (PROJECT / "docs" / "plugins.md").read_text()
    assert f"## {hook}" in docs, f"docs/plugins.md has no '## {hook}' section"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_tested(hook):
    this_file = __file__
    uses = [
        path for path in (PROJECT / "tests").rglob("test_*.py")
        if str(path) != this_file and f"{hook}" in path.read_text()
    ]
    assert uses, f"no test mentions the hook {hook}"
