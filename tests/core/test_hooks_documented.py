"""Every hook is documented with its exact signature in docs/plugins.md and has a test named for it (datasette's rule)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from framework import hooks, hookspecs

ROOT = Path(__file__).resolve().parents[2]
HOOKS = hooks.hook_names()
DOCS = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")


def test_the_hooks_are_found():
    assert HOOKS == ["aggregate_findings", "register_reviewers"]


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_section_with_its_exact_signature(hook):
    parameters = ", ".join(inspect.signature(getattr(hookspecs, hook)).parameters)
    section = DOCS.split(f"## `{hook}`", 1)
    assert len(section) == 2, f"docs/plugins.md has no section ## `{hook}`"
    assert f"def {hook}({parameters}):" in section[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_one_line_docstring_and_type_hints(hook):
    function = getattr(hookspecs, hook)
    assert function.__doc__ and "\n" not in function.__doc__.strip()
    assert all(name in function.__annotations__ for name in inspect.signature(function).parameters)


def defined_test_names() -> set[str]:
    """The names of every test function in the suite."""
    names = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        if "corpus" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names |= {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    return names


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test_named_for_it(hook):
    assert f"test_hook_{hook}" in defined_test_names()
