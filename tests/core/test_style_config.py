"""The style reviewer follows the reviewed project's own ruff configuration and Python version.

Each case is a small project with its own configuration; the reviewer must report exactly what
``ruff check`` reports when it finds that configuration itself, and what the case expects.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from ruff.__main__ import find_ruff_bin

from framework.tree import SourceTree
from reviewers.style import StyleReviewer
from reviewers.style.ruff_config import lowest_python
from tests.conftest import touch

UNUSED = "import os\n\n\ndef f():\n    x = 1\n"  # F401 on line 1, F841 on line 5
LONG = "import os\n\nx = '" + "a" * 90 + "'\n"  # F401 on line 1, a 97-character line 3
UTC = "import datetime\n\nx = datetime.timezone.utc\n"  # UP017 from Python 3.11 on

CASES = {
    "pyproject [tool.ruff] with [tool.ruff.lint] and per-file-ignores": (
        {
            "pyproject.toml": '[project]\nname = "p"\nrequires-python = ">=3.10"\n\n[tool.ruff]\nline-length = 60\n\n'
            '[tool.ruff.lint]\nselect = ["E501", "F401"]\nper-file-ignores = {"pkg/__init__.py" = ["F401"]}\n',
            "pkg/__init__.py": "import os\n",
            "pkg/mod.py": LONG,
        },
        {("F401", "pkg/mod.py", 1), ("E501", "pkg/mod.py", 3)},
    ),
    "ruff.toml wins over pyproject.toml, .ruff.toml over ruff.toml": (
        {
            "pyproject.toml": '[tool.ruff.lint]\nselect = ["E501"]\n',
            "ruff.toml": '[lint]\nselect = ["F841"]\n',
            "a.py": UNUSED + LONG.replace("import os\n", ""),
            "sub/.ruff.toml": '[lint]\nselect = ["F401"]\n',
            "sub/ruff.toml": '[lint]\nselect = ["E501"]\n',
            "sub/b.py": UNUSED,
        },
        {("F841", "a.py", 5), ("F401", "sub/b.py", 1)},
    ),
    "nested configurations: the closest one applies": (
        {
            "pyproject.toml": '[tool.ruff.lint]\nselect = ["F401"]\nextend-select = ["F841"]\n',
            "a.py": UNUSED,
            "sub/ruff.toml": '[lint]\nselect = ["F841"]\n',
            "sub/b.py": UNUSED,
            "sub/deep/c.py": UNUSED,
            "other/pyproject.toml": '[project]\nname = "no-ruff-here"\n',  # no [tool.ruff]: not a configuration
            "other/d.py": UNUSED,
        },
        {("F401", "a.py", 1), ("F841", "a.py", 5), ("F841", "sub/b.py", 5), ("F841", "sub/deep/c.py", 5),
         ("F401", "other/d.py", 1), ("F841", "other/d.py", 5)},
    ),
    "an extend chain, with the base's globs relative to the base": (
        {
            "ruff.toml": 'extend-exclude = ["pkg/generated"]\n[lint]\nselect = ["F401"]\n'
            'per-file-ignores = {"pkg/legacy/*" = ["F401"], "!pkg/*" = ["F401"]}\n',
            "top.py": UNUSED,
            "pkg/ruff.toml": 'extend = "../ruff.toml"\n[lint]\nextend-select = ["F841"]\n',
            "pkg/m.py": UNUSED,
            "pkg/legacy/l.py": UNUSED,
            "pkg/generated/g.py": UNUSED,
        },
        {("F401", "pkg/m.py", 1), ("F841", "pkg/m.py", 5), ("F841", "pkg/legacy/l.py", 5)},
    ),
    "exclude and extend-exclude, and lint options at the deprecated top level": (
        {
            "pyproject.toml": '[tool.ruff]\nexclude = ["vendored"]\nextend-exclude = ["scripts/*.py"]\n'
            'select = ["F401", "F841"]\nignore = ["F841"]\n',
            "app.py": UNUSED,
            "vendored/v.py": UNUSED,
            "scripts/s.py": UNUSED,
            "build/b.py": UNUSED,  # exclude replaces ruff's default excludes: build/ is checked
        },
        {("F401", "app.py", 1), ("F401", "build/b.py", 1)},
    ),
    "requires-python 3.10: no datetime.UTC": (
        {"pyproject.toml": '[project]\nname = "p"\nrequires-python = ">=3.10,<4"\n[tool.ruff.lint]\nselect = ["UP"]\n',
         "when.py": UTC},
        set(),
    ),
    "requires-python 3.11: datetime.UTC": (
        {"pyproject.toml": '[project]\nname = "p"\nrequires-python = ">=3.11"\n[tool.ruff.lint]\nselect = ["UP"]\n',
         "when.py": UTC},
        {("UP017", "when.py", 3)},
    ),
    "target-version wins over requires-python": (
        {"pyproject.toml": '[project]\nname = "p"\nrequires-python = ">=3.11"\n[tool.ruff]\ntarget-version = "py310"\n'
         '[tool.ruff.lint]\nselect = ["UP"]\n', "when.py": UTC},
        set(),
    ),
    "a ruff.toml takes requires-python from the pyproject.toml beside it": (
        {"pyproject.toml": '[project]\nname = "p"\nrequires-python = ">=3.10"\n', "ruff.toml": '[lint]\nselect = ["UP"]\n',
         "when.py": UTC},
        set(),
    ),
    "an extending configuration's requires-python wins over the base's target-version": (
        {"ruff.toml": 'target-version = "py312"\n[lint]\nselect = ["UP"]\n',
         "sub/pyproject.toml": '[project]\nname = "p"\nrequires-python = ">=3.10"\n[tool.ruff]\nextend = "../ruff.toml"\n',
         "sub/when.py": UTC, "when.py": UTC},
        {("UP017", "when.py", 3)},
    ),
}


def write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return SourceTree(root, sorted(files))


def style(tree, settings=None):
    reviewer = StyleReviewer()
    return list(reviewer.analyze(tree, reviewer.settings_from(settings or {})))


def found(tree, settings=None):
    return {(f.rule_id, f.file, f.line) for f in style(tree, settings) if not f.rule_id.startswith("repo.")}


def ruff_itself(tree):
    """What ``ruff check`` reports when it finds the project's configuration itself."""
    command = [find_ruff_bin(), "check", "--output-format=json", "--exit-zero", "--no-cache", "--no-fix",
               "--force-exclude", "--", *tree.python_files()]  # fmt: skip
    completed = subprocess.run(command, cwd=tree.root, capture_output=True, check=True)
    return {(item["code"], tree.relative(tree.root / item["filename"]), item["location"]["row"])
            for item in json.loads(completed.stdout)}  # fmt: skip


@pytest.mark.parametrize("files, expected", CASES.values(), ids=CASES.keys())
def test_findings_are_those_of_ruff_with_the_projects_configuration(tmp_path, files, expected):
    tree = write(tmp_path / "project", files)
    assert found(tree) == expected
    assert found(tree) == ruff_itself(tree)


def test_a_310_project_is_never_told_to_use_datetime_utc_whoever_selects_up(tmp_path):
    project = '[project]\nname = "p"\nrequires-python = ">=3.10"\n'
    # The project's configuration selects UP; reviewers.yaml selects UP; or nothing but requires-python.
    with_config = write(tmp_path / "a", {"pyproject.toml": project + '[tool.ruff.lint]\nselect = ["UP"]\n', "when.py": UTC})
    without = write(tmp_path / "b", {"pyproject.toml": project, "pkg/when.py": UTC})
    assert found(with_config) == found(with_config, {"select": ["UP"]}) == set()
    assert found(without, {"select": ["UP"]}) == set()
    newer = write(tmp_path / "c", {"pyproject.toml": project.replace("3.10", "3.11"), "pkg/when.py": UTC})
    assert found(newer, {"select": ["UP"]}) == {("UP017", "pkg/when.py", 3)}


@pytest.mark.parametrize(
    "requires, lowest",
    [(">=3.10", (3, 10)), (">=3.10,<4", (3, 10)), (">= 3.12", (3, 12)), ("~=3.9", (3, 9)), ("==3.11.*", (3, 11)),
     (">3.9", (3, 9)), (">=3.8.1", (3, 8)), ("!=3.9.*,>=3.8", (3, 8)), (">=2.7", (3, 7)), (">=3.6", (3, 7)),
     ("<3.12", None), (">=3.99", None), ("3.10", None), (None, None), (310, None)],
)  # fmt: skip
def test_the_lowest_python_of_requires_python(requires, lowest):
    assert lowest_python(requires) == lowest


def test_reviewers_yaml_settings_override_the_projects_configuration(tmp_path):
    tree = write(tmp_path / "p", {
        "pyproject.toml": '[tool.ruff]\nline-length = 120\n[tool.ruff.lint]\nselect = ["E501", "F841"]\n'
        'per-file-ignores = {"tests/*" = ["F401"]}\n',
        "app.py": UNUSED + LONG.replace("import os\n", ""),
        "tests/test_app.py": UNUSED,
    })  # fmt: skip
    assert found(tree) == {("F841", "app.py", 5), ("F841", "tests/test_app.py", 5)}
    assert ("E501", "app.py", 7) in found(tree, {"line_length": 80})
    # select replaces the project's selection; its per-file-ignores still hold.
    assert found(tree, {"select": ["F401"]}) == {("F401", "app.py", 1)}
    assert found(tree, {"ignore": ["F841"]}) == set()


def test_a_change_of_the_projects_configuration_is_not_served_from_the_cache(cli, repo, workspace):
    def style_rules():
        before = set((workspace / "runs").iterdir()) if (workspace / "runs").exists() else set()
        assert cli("review", str(repo), "--reviewers", "style", "--no-progress").exit_code == 0
        (run,) = set((workspace / "runs").iterdir()) - before  # run ids sort by the second only
        results = json.loads((run / "results" / "style.json").read_text())
        return {(f["rule_id"], f["file"]) for f in results["findings"]}, results["cache"]

    first, _ = style_rules()
    assert {("F401", "app/util.py"), ("F821", "app/util.py")} <= first
    (repo / "ruff.toml").write_text('[lint]\nselect = ["F821"]\n')
    second, cache = style_rules()
    assert cache["tree"] == "analyzed"
    assert ("F401", "app/util.py") not in second and ("F821", "app/util.py") in second
    (repo / "ruff.toml").write_text('[lint]\nselect = ["F401"]\n')
    third, _ = style_rules()
    assert ("F401", "app/util.py") in third and ("F821", "app/util.py") not in third
    (repo / "ruff.toml").unlink()
    touch(repo)  # else the first run itself answers: the tree is as it was then
    fourth, cache = style_rules()
    assert fourth == first and cache["tree"] == "reused"  # the first tree again, from its cache entry
