"""The terminal gets only printable text: file names, file contents relayed in messages and model text
may carry escape sequences and bidi overrides; what codepanel prints holds none of them."""

from __future__ import annotations

import json
import re

import pytest

from framework.cli.console import Console
from framework.cli.text import printable
from framework.findings import Finding
from framework.run.outcome import Status
from framework.run.summary import ReviewerSummary, RunSummary

# Anything a terminal would obey: C0 (but newline), DEL, C1, bidi controls, invisible format characters.
OBEYED = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J\x1b[H"
RLO = "\u202e"


def assert_printable(text: str) -> None:
    found = OBEYED.findall(text)
    assert not found, f"raw control characters reached the terminal: {found[:10]}"


def test_printable_escapes_every_control_and_bidi_character():
    assert printable(f"a{TITLE}b{RLO}c\rd\x9b") == "a\\u001b]0;pwned\\u0007b\\u202ec\\u000dd\\u009b"
    assert printable("one\ntwo\tthree", lines=True) == "one\ntwo\tthree"
    assert printable("one\ntwo") == "one\\u000atwo"
    assert printable("\U000e0041") == "\\udb40\\udc41"  # a tag character, as JSON would escape it
    assert printable("plain text, ünïcode ✓") == "plain text, ünïcode ✓"
    assert printable(printable(TITLE)) == printable(TITLE)


def test_printed_json_reads_back_as_the_same_document():
    document = json.dumps({"message": f"x{RLO}\x9by"}, ensure_ascii=False)
    assert json.loads(printable(document, lines=True)) == json.loads(document)


@pytest.fixture
def hostile_names(tmp_path):
    root = tmp_path / "escapes"
    (root / "app").mkdir(parents=True)
    (root / "README.md").write_text("# escapes\n")
    (root / "test_ok.py").write_text("def test():\n    pass\n")
    # ruff quotes the offending token: "Got unexpected token \x1b".
    (root / "app" / "title.py").write_text(f"x = 1 {TITLE} {CLEAR}\n")
    (root / f"e{RLO}.py").write_text("import os\n")
    (root / "app" / "bidi.py").write_text(f"def f():\n    return 1\nundefined_{RLO}name\n")
    return root


@pytest.mark.parametrize("term", ["xterm-256color", "dumb"])
def test_a_review_prints_no_control_characters_from_the_repository(cli, hostile_names, term):
    env = {"TERM": term}
    for args in ([], ["--all"], ["-f", "markdown"], ["-f", "json"], ["-f", "html"]):
        result = cli("review", str(hostile_names), "-r", "security,style", *args, env=env)
        assert result.exit_code in (0, 3), result.stderr
        assert_printable(result.stdout)
        assert_printable(result.stderr)
        if args[:1] != ["-f"]:
            assert "e\\u202e.py" in result.stdout  # shown, escaped, not obeyed
        if args == ["-f", "json"]:  # the same document, read back: ruff quoted the escape sequence
            messages = [finding["message"] for finding in json.loads(result.stdout)["findings"]]
            assert "Got unexpected token \x1b" in messages
    listed = cli("runs", "list", env=env)
    assert_printable(listed.stdout)


def test_model_text_and_messages_are_printed_escaped(capsys):
    summary = RunSummary(
        run_id="r1", repository=f"https://example.com/{RLO}x", status=Status.PARTIAL,
        reviewers={"security": ReviewerSummary(status=Status.PARTIAL, findings=1, note=f"agent said {CLEAR}")},
        limits_hit=[f"security: cut at {TITLE}"],
        executive_summary={"text": f"All fine.{CLEAR}{TITLE} Really.", "by": "openai:gpt"},
    )  # fmt: skip
    finding = Finding(rule_id=f"agent{TITLE}", message=f"model wrote {CLEAR}{RLO}", file=f"a{RLO}.py",
                      severity="high", origin="agent", verdict="added", reviewer="security")  # fmt: skip
    console = Console()
    for show_all in (False, True):
        console.findings_table(summary, [finding], show_all=show_all)
    console.fail_on("high", [finding])
    console.warn(f"plugin {TITLE} failed")
    console.runs_table([{"run_id": "r1", "status": "ok", "repository": f"x{TITLE}", "findings": 1, "duration": 1.0}])
    captured = capsys.readouterr()
    assert_printable(captured.out)
    assert_printable(captured.err)
    assert "All fine.\\u001b[2J" in captured.out
    assert "plugin \\u001b]0;pwned\\u0007 failed" in captured.err
