"""Inline suppressions: the finding leaves the reports, and findings.json keeps it with the reason."""

from __future__ import annotations

import json

import pytest

from framework.findings import Finding
from framework.triage import suppressions
from tests.reports.helpers import insert_lines

SUPPRESS = "    os.system(command)  # codepanel: ignore[command-injection] commands come from a fixed table"


def _set_line(path, number, text):
    lines = path.read_text().splitlines()
    lines[number - 1] = text
    path.write_text("\n".join(lines) + "\n")


def test_a_suppressed_finding_disappears_with_its_reason_kept_in_the_json(review, repo, tmp_path):
    assert review(repo, "--fail-on", "high", exit=1).summary["counts"]["by_severity"]["critical"] == 1
    _set_line(repo / "app" / "views.py", 5, SUPPRESS)
    done = review(repo, "--fail-on", "high", exit=0)  # the only critical or high finding is suppressed
    kept = done.one(rule_id="command-injection")
    assert (kept["suppressed"], kept["suppression_reason"]) == (
        True,
        "commands come from a fixed table",
    )
    assert kept["line"] == 5
    others = [f for f in done.findings if f["rule_id"] != "command-injection"]
    assert len(others) == 4 and not any(f["suppressed"] for f in others)
    summary = done.summary
    assert summary["counts"]["suppressed"] == 1
    assert summary["counts"]["total"] == 4 and summary["counts"]["by_severity"]["critical"] == 0
    assert summary["reviewers"]["security"]["findings"] == 1
    # Gone from every report: the table, Markdown, SARIF, HTML.
    assert "command-injection" not in done.result.stdout and "1 suppressed" in done.result.stdout
    assert "command-injection" not in done.report(
        "report.md"
    ) and "Not shown: 1 suppressed." in done.report("report.md")
    sarif = json.loads(done.report("report.sarif"))
    assert [r for r in sarif["runs"][0]["results"] if "command-injection" in r["ruleId"]] == []
    assert sarif["runs"][0]["properties"]["suppressed"] == 1
    assert 'data-rule="command-injection"' not in done.report("report.html")
    # The JSON format of the CLI keeps it too, marked.
    output = tmp_path / "out.json"
    review(repo, "-f", "json", "-o", str(output))
    document = json.loads(output.read_text())
    assert [
        f["suppressed"] for f in document["findings"] if f["rule_id"] == "command-injection"
    ] == [True]


def test_a_comment_line_above_suppresses_and_a_wrong_rule_does_not(review, repo):
    views = repo / "app" / "views.py"
    insert_lines(
        views, 5, "    # codepanel: ignore[security/command-injection] -- reviewed, see ticket 12"
    )
    insert_lines(
        repo / "app" / "util.py", 5, "    # codepanel: ignore[weak-hashes] a typo in the rule id suppresses nothing"
    )
    done = review(repo)
    command = done.one(rule_id="command-injection")
    assert (
        command["suppressed"] is True and command["suppression_reason"] == "reviewed, see ticket 12"
    )
    weak = done.one(rule_id="weak-hash")
    assert (weak["line"], weak["suppressed"]) == (6, False)


@pytest.mark.parametrize(
    ("line", "rules", "reason"),
    [
        (
            "x = eval(s)  # codepanel: ignore[code-injection] trusted input",
            ("code-injection",),
            "trusted input",
        ),
        ("x = 1  # CODEPANEL: Ignore[F401, style/E501]", ("f401", "style/e501"), ""),
        ("x = 1  # codepanel: ignore[*] generated code", ("*",), "generated code"),
        (
            "run(x); // codepanel: ignore[command-injection]: fixed list",
            ("command-injection",),
            "fixed list",
        ),
        ("/* codepanel: ignore[weak-hash] checksums only */", ("weak-hash",), "checksums only"),
        ("<!-- codepanel: ignore[xss] static page -->", ("xss",), "static page"),
    ],
)
def test_directives_parse(line, rules, reason):
    assert suppressions.parse(line) == suppressions.Suppression(rules, reason)


@pytest.mark.parametrize("line", ["x = 1  # codepanel: ignore[]", "x = 1  # codepanel ignore[F401]", "codepanel: ignore[F401]",
                                  "x = 1  # noqa: F401"])  # fmt: skip
def test_lines_without_a_valid_directive_suppress_nothing(line):
    assert suppressions.parse(line) is None


def _finding(rule: str, line: int, reviewer: str = "security") -> Finding:
    return Finding(rule_id=rule, message="m", file="a.py", line=line, reviewer=reviewer)


class Tree:
    def __init__(self, text: str):
        self.text = text

    def read_text(self, path: str, limit: int | None = None) -> str:
        if path != "a.py":
            raise OSError("no such file")
        return self.text


def test_star_covers_every_rule_and_blocks_of_comments_reach_only_the_next_line():
    text = "\n".join([
        "a = eval(x)  # codepanel: ignore[*] generated",      # 1
        "# codepanel: ignore[style/F401] kept for re-export",  # 2
        "# another comment",                                    # 3
        "import os",                                            # 4
        "import sys",                                           # 5
    ])  # fmt: skip
    findings = [_finding("code-injection", 1), _finding("F401", 4, "style"), _finding("F401", 5, "style"),
                _finding("F401", 4, "lint"), Finding(rule_id="repo.no-tests", message="m", file=".", reviewer="style")]  # fmt: skip
    assert suppressions.apply(findings, Tree(text)) == 2
    assert [f.suppressed for f in findings] == [True, True, False, False, False]
    assert [f.suppression_reason for f in findings[:2]] == ["generated", "kept for re-export"]


def test_a_finding_past_the_end_of_the_file_is_never_suppressed_nor_a_crash():
    lines = ["x = 1", "# codepanel: ignore[*] all of it"]
    assert suppressions.for_line(lines, 9) == []
    assert suppressions.for_line(lines, 0) == []
    (above,) = suppressions.for_line([*lines, "y = 2"], 3)
    assert above.reason == "all of it"
