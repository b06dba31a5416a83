"""Fingerprints leave line numbers out: a finding keeps its fingerprint when lines move above it."""

from __future__ import annotations

from framework.findings import Finding, assign_fingerprints
from tests.reports.helpers import insert_lines


class Lines:
    """A stand-in SourceTree: file name -> text."""

    def __init__(self, files: dict[str, str]):
        self.files = files

    def read_text(self, path: str) -> str:
        return self.files[path]


def test_the_same_finding_keeps_its_fingerprint_when_lines_are_inserted_above_it(review, repo):
    before_review = review(repo)
    before = before_review.one(rule_id="command-injection")
    insert_lines(repo / "app" / "views.py", 1, '"""Views."""', "", "# more lines above the call")
    insert_lines(repo / "app" / "util.py", 1, "# one more line")
    after_review = review(repo)
    after = after_review.one(rule_id="command-injection")
    assert (before["line"], after["line"]) == (5, 8)
    assert after["fingerprint"] == before["fingerprint"]
    # Every finding of the moved files kept its fingerprint, of either reviewer.
    moved = {(f["rule_id"], f["line"] + 1, f["fingerprint"]) for f in before_review.findings if f["file"] == "app/util.py"}
    assert {(f["rule_id"], f["line"], f["fingerprint"]) for f in after_review.findings if f["file"] == "app/util.py"} == moved
    assert {rule for rule, _, _ in moved} == {"F401", "F821", "weak-hash"}


def test_fingerprints_of_every_finding_survive_moving_lines(review, repo):
    first = {f["fingerprint"] for f in review(repo).findings}
    insert_lines(repo / "app" / "util.py", 1, "# header", "# comment")
    insert_lines(
        repo / "app" / "views.py", 4, "", "# a comment between the imports and the function"
    )
    second = {f["fingerprint"] for f in review(repo).findings}
    assert first == second and len(first) == 5


def _findings(text: str) -> list[Finding]:
    lines = text.splitlines()
    found = [Finding(rule_id="weak-hash", message="md5", file="a.py", line=number, reviewer="security")
             for number, line in enumerate(lines, start=1) if "md5(" in line]  # fmt: skip
    assign_fingerprints(found, Lines({"a.py": text}))
    return found


def test_two_identical_lines_get_distinct_fingerprints_that_also_survive_moving():
    text = "h = md5(a)\nx = 1\nh = md5(a)\n"
    first = [f.fingerprint for f in _findings(text)]
    moved = [f.fingerprint for f in _findings("import hashlib\n\n" + text)]
    assert len(set(first)) == 2
    assert moved == first


def test_a_changed_line_changes_the_fingerprint():
    (before,) = _findings("h = md5(a)\n")
    (after,) = _findings("h = md5(b)\n")
    assert before.fingerprint != after.fingerprint
    assert (before.snippet, after.snippet) == ("h = md5(a)", "h = md5(b)")
