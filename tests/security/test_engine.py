"""The engine around the analysis: unreadable files, settings, workers, chunking, the results file."""

from __future__ import annotations

import json

import pytest
from corpus_index import run_engine

from framework import config
from framework.errors import ConfigError
from framework.run.finish import finish_run
from framework.run.outcome import ReviewerOutcome
from framework.run.reviewer_handler import run_reviewer
from framework.run.workspace import Workspace, new_run_id, write_json
from framework.source import fetch
from framework.tree import SourceTree
from reviewers.security.engine import review, settings_from

VULNERABLE = 'import os, sys\nos.system("ls " + sys.argv[1])\n'


def tree_of(root, files: dict[str, bytes], max_file_bytes: int = 1_000_000) -> SourceTree:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return SourceTree(root, sorted(files), max_file_bytes)


def test_files_that_cannot_be_analyzed_are_skipped_with_a_reason(tmp_path):
    tree = tree_of(tmp_path, {
        "good.py": VULNERABLE.encode(),
        "broken.py": b"def f(:\n    pass\n",
        "legacy.py": b'print "hello"\n',
        "latin.py": "name = 'caf\u00e9'\n".encode("latin-1"),
        "binary.py": b"x = 1\0\n",
        "huge.py": b"x = 1\n" * 400,
    }, max_file_bytes=2_000)  # fmt: skip
    outcome = review(tree, {"workers": 1})
    reasons = {item["path"]: item["reason"] for item in outcome.skipped}
    assert sorted(reasons) == ["binary.py", "broken.py", "huge.py", "latin.py", "legacy.py"]
    assert reasons["broken.py"].startswith("syntax error at line 1")
    assert reasons["legacy.py"].startswith("Python 2 syntax (line 1")
    assert reasons["latin.py"] == "not valid UTF-8 text"
    assert reasons["binary.py"] == "contains null bytes (not a text file)"
    assert reasons["huge.py"] == "larger than max_file_bytes (2400 > 2000 bytes)"
    assert [(f["file"], f["line"], f["rule_id"]) for f in outcome.findings] == [("good.py", 2, "command-injection")]


def test_a_declared_encoding_is_honoured(tmp_path):
    source = "# -*- coding: latin-1 -*-\nimport os, sys\nlabel = 'caf\u00e9'\nos.system(label + sys.argv[1])\n"
    outcome = review(tree_of(tmp_path, {"cafe.py": source.encode("latin-1")}), {"workers": 1})
    assert outcome.skipped == []
    assert [(f["line"], f["cwe"]) for f in outcome.findings] == [(4, 78)]


def test_a_large_file_is_analyzed_in_chunks_with_the_same_findings(tmp_path):
    functions = [
        f"\n\ndef handler_{index}():\n    value = sys.argv[{index}]\n    os.system('echo ' + value)\n"
        for index in range(60)
    ]
    # A string whose lines look like statements: a cut inside it must be noticed and moved.
    fake = "".join(f"def fake_{index}():\n" for index in range(150))
    text = "import os\nimport sys\n" + "".join(functions[:25]) + f'\nTEXT = """\n{fake}"""\n' + "".join(functions[25:])
    tree = tree_of(tmp_path, {"big.py": text.encode()})
    whole = review(tree, {"workers": 1})
    chunked = review(tree, {"workers": 1, "chunk_bytes": 1_000})
    assert len(whole.findings) == 60
    assert chunked.findings == whole.findings



def test_chunks_are_cut_between_statements_without_the_newer_grammar(tmp_path, monkeypatch):
    from reviewers.security import lowering, parsing

    def refuse(source):
        raise AssertionError("the libcst fallback was tried on a chunk the standard parser reads")

    monkeypatch.setattr(lowering, "lower", refuse)
    views = "".join(
        f'\n@app.route("/v{index}")\n@login_required\ndef view_{index}():\n    os.system("echo " + request.args["q"])\n'
        for index in range(80)
    )
    text = "import os\nfrom flask import Flask, request\napp = Flask(__name__)\n" + views
    pieces = list(parsing.chunks(text, "views.py", 1_000))
    assert len(pieces) > 5
    assert all(isinstance(piece.body[0], parsing.ast.FunctionDef) for piece in pieces[1:])
    assert [len(piece.body[0].decorator_list) for piece in pieces[1:]] == [2] * (len(pieces) - 1)
    outcome = review(tree_of(tmp_path, {"views.py": text.encode()}), {"workers": 1, "chunk_bytes": 1_000})
    assert len(outcome.findings) == 80 and outcome.skipped == []

def test_findings_are_identical_with_one_and_several_workers(corpus_findings):
    assert run_engine(workers=1) == corpus_findings


@pytest.mark.parametrize(("settings", "message"), [
    ({"workers": 0}, "settings.workers: expected a positive integer, got 0"),
    ({"workers": "four"}, "settings.workers: expected a positive integer, got 'four'"),
    ({"sources": ["web", "mail"]}, "settings.sources: expected a list of web, socket, archive, argv, input, env, file"),
    ({"chunk_bytes": 10}, "settings.chunk_bytes: expected an integer of at least 1000, got 10"),
    ({"color": "red"}, "settings.color: unknown key (known: workers, sources, chunk_bytes)"),
])  # fmt: skip
def test_invalid_settings_name_the_key(settings, message):
    with pytest.raises(ConfigError) as error:
        settings_from(settings)
    assert str(error.value).startswith(message)


def test_sources_setting_limits_what_counts_as_untrusted(tmp_path):
    tree = tree_of(tmp_path, {"tool.py": VULNERABLE.encode()})
    assert len(review(tree, {"workers": 1, "sources": ["argv"]}).findings) == 1
    assert review(tree, {"workers": 1, "sources": ["web", "socket"]}).findings == []


def test_results_file_holds_cwe_path_and_skipped_files(tmp_path):
    source = tmp_path / "repo"
    tree_of(source, {"app.py": VULNERABLE.encode(), "old.py": b'print "hi"\n'})
    run = Workspace(tmp_path / "workspace").run(new_run_id()).create()
    write_json(run.manifest_path, fetch(str(source), run.source_dir, config.SourceLimits(), allow_local=True))
    reviewer = config.validate(
        {"reviewers": {"security": {"settings": {"workers": 1}}}}
    ).resolved("security")
    outcome = run_reviewer(run, reviewer)
    results = json.loads(run.results_path("security").read_text())
    assert outcome.findings == 1
    assert results["skipped"] == [{"path": "old.py", "reason": "Python 2 syntax (line 1: Missing parentheses in "
                                                                "call to 'print'. Did you mean print(...)?)"}]
    finding = results["findings"][0]
    assert (finding["rule_id"], finding["cwe"], finding["severity"], finding["line"]) == (
        "command-injection", 78, "medium", 2)
    assert [step["what"] for step in finding["details"]["path"]] == ["source: sys.argv", "reaches os.system()"]
    summary = finish_run(run, [ReviewerOutcome(reviewer="security", status="ok")]).to_json()
    assert summary["reviewers"]["security"]["skipped"] == results["skipped"]


def test_an_unexpected_error_skips_only_that_file(tmp_path, monkeypatch):
    from reviewers.security import module

    real = module.analyze_source

    def fragile(text, path, *args):
        if path == "odd.py":
            raise RuntimeError("boom")
        return real(text, path, *args)

    monkeypatch.setattr(module, "analyze_source", fragile)
    outcome = review(tree_of(tmp_path, {"odd.py": b"x = 1\n", "tool.py": VULNERABLE.encode()}), {"workers": 1})
    assert outcome.skipped == [{"path": "odd.py", "reason": "internal error in the analysis: RuntimeError: boom"}]
    assert [finding["file"] for finding in outcome.findings] == ["tool.py"]
