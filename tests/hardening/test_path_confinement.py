"""Path confinement: a corpus of hostile paths against the tree every reviewer and agent tool reads through."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from framework.errors import PathRefused
from framework.tree import SourceTree

HOSTILE_PATHS = json.loads((Path(__file__).parent / "hostile_paths.json").read_text())
SECRET = "TOP-SECRET-OUTSIDE-THE-TREE"


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    base = tmp_path_factory.mktemp("confinement")
    (base / "secret.txt").write_text(SECRET)
    (base / "elsewhere").mkdir()
    (base / "elsewhere" / "secret.txt").write_text(SECRET)
    root = base / "source"
    (root / "pkg" / "sub").mkdir(parents=True)
    (root / "pkg" / "a.py").write_text("print('inside')\n")
    links = {
        "link-passwd": "/etc/passwd", "link-secret": "../secret.txt", "link-up": "..", "link-root": "/",
        "link-dir": str(base / "elsewhere"), "chain-a": "chain-b", "chain-b": "../secret.txt",
        "pkg/rel-link": "../../secret.txt", "pkg/deep-link": "../../", "link-proc": "/proc/self",
        "link-self": ".", "link-dev-zero": "/dev/zero",
    }
    for name, target in links.items():
        os.symlink(target, root / name)
    os.mkfifo(root / "fifo")
    return SourceTree(root, ["pkg/a.py"])


def test_the_corpus_is_large_enough():
    assert len(HOSTILE_PATHS) >= 50


@pytest.mark.parametrize("path", HOSTILE_PATHS, ids=[repr(p)[:40] for p in HOSTILE_PATHS])
def test_hostile_path_is_refused(tree, path):
    with pytest.raises(PathRefused) as refused:
        tree.read_text(path)
    assert "\n" not in str(refused.value).replace("\\n", "")


def test_zero_escapes_across_the_corpus(tree):
    escapes = []
    for path in HOSTILE_PATHS:
        try:
            text = tree.read_text(path)
        except PathRefused:
            continue
        if SECRET in text or "root:" in text:
            escapes.append(path)
    assert escapes == []


def test_plain_paths_still_work(tree):
    assert tree.read_text("pkg/a.py") == "print('inside')\n"
    assert tree.read_text("./pkg/a.py") == "print('inside')\n"


@pytest.mark.parametrize("path", HOSTILE_PATHS, ids=[repr(p)[:40] for p in HOSTILE_PATHS])
def test_the_agent_tools_refuse_every_hostile_path(tree, path):
    from framework.agents.tools import ReadBudget, SourceTools, ToolError

    tools = SourceTools(tree, ReadBudget(10_000))
    for call in (lambda: tools.read_file(path), lambda: tools.list_files(path), lambda: tools.search_text("root", path)):
        try:
            output = call()
        except ToolError:
            continue
        assert SECRET not in output and "root:x:" not in output
