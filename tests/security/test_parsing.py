"""Parsing independent of the host Python: 3.12-3.14 syntax is analyzed, real errors say what was tried."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from framework.tree import SourceTree
from reviewers.security.engine import review
from reviewers.security.lowering import LoweringFailed, lower
from reviewers.security.parsing import GRAMMARS

SYNTAX = Path(__file__).resolve().parent / "syntax"
_EXPECT = re.compile(r"#\s*expect:\s*([\w-]+)")


def expected_findings() -> set[tuple[str, int, str]]:
    expected = set()
    for path in sorted(SYNTAX.glob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            expected.update((path.name, number, rule) for rule in _EXPECT.findall(line))
    return expected


def test_newer_syntax_is_reviewed_on_the_host_python_with_its_findings():
    files = sorted(path.name for path in SYNTAX.glob("*.py"))
    outcome = review(SourceTree(SYNTAX, files), {"workers": 1})
    assert outcome.skipped == []
    found = {(finding["file"], finding["line"], finding["rule_id"]) for finding in outcome.findings}
    assert found == expected_findings()


@pytest.mark.parametrize("name", sorted(path.name for path in SYNTAX.glob("*.py")))
def test_lowering_keeps_every_line_in_place(name):
    source = (SYNTAX / name).read_text(encoding="utf-8")
    lowered = lower(source)
    assert len(lowered.splitlines()) == len(source.splitlines())
    tree = ast.parse(lowered)
    original_defs = [line for line, text in enumerate(source.splitlines(), 1) if text.lstrip().startswith("def ")]
    assert sorted(node.lineno for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)) == original_defs


@pytest.mark.parametrize(("source", "lowered"), [
    ('x = f"{a["k"]}"\n', 'x = (format((a["k"]), ""))\n'),
    ('x = f"{{a}} {b!r:>{w}}"\n', 'x = ("{a} " + format((repr(b)), ">" + format((w), "")))\n'),
    ('x = ("a"\n  f"{b}" "c")\n', 'x = (("a"\n  + (format((b), "")) + "c"))\n'),
    ('x = f"{3,}"\n', 'x = (format((3,), ""))\n'),
    ('x = f"{b=}"\n', "x = ('b=' + format((repr(b)), \"\"))\n"),
    ("type A[T] = list[T]\n", "A = list[T]\n"),
    ("def f[T](x: T) -> T: return x\n", "def f(x: T) -> T: return x\n"),
    ("class C[T](B): pass\n", "class C(B): pass\n"),
    ("try: pass\nexcept A, B: pass\n", "try: pass\nexcept (A, B): pass\n"),
    ('x = t"hi {name}"\n', 'x = ("hi " + format((name), ""))\n'),
])  # fmt: skip
def test_each_newer_construct_is_lowered_to_older_code(source, lowered):
    assert lower(source) == lowered


def test_a_real_syntax_error_is_skipped_and_says_which_grammars_were_tried(tmp_path):
    (tmp_path / "broken.py").write_text('x = 1\ndef f(:\n    pass\ny = f"{a["k"]}"\n')
    outcome = review(SourceTree(tmp_path, ["broken.py"]), {"workers": 1})
    [skipped] = outcome.skipped
    assert skipped["reason"].startswith("syntax error at line 2")
    assert skipped["reason"].endswith(f"({GRAMMARS})")
    with pytest.raises(LoweringFailed):
        lower("def f(:\n    pass\n")
