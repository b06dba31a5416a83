"""`--diff BASE_REF`: only the changed files are reviewed, only findings on changed lines reported."""

from __future__ import annotations

import pytest

from framework.findings import Finding
from framework.triage import diff
from tests.conftest import git
from tests.reports.helpers import insert_lines


@pytest.fixture
def checkout(repo):
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "first", cwd=repo)
    # One new line in views.py (line 6); util.py, with three findings of its own, is left alone.
    insert_lines(repo / "app" / "views.py", 6, "    eval(command)")
    return repo


def shown(done):
    return [(f["reviewer"], f["rule_id"], f["file"], f["line"]) for f in done.findings]


def test_diff_reports_only_findings_on_changed_lines(review, checkout):
    done = review(checkout, "--diff", "HEAD")
    assert shown(done) == [("security", "code-injection", "app/views.py", 6)]
    summary = done.summary
    assert summary["reviewers"]["security"]["files_reviewed"] == 1
    assert summary["reviewers"]["style"]["files_reviewed"] == 1
    # os.system in views.py, and style's no-README and no-tests on the changed-files tree.
    assert summary["counts"]["outside_diff"] == 3
    assert summary["diff"]["base"] == "HEAD" and summary["diff"]["files"] == 1
    assert summary["diff"]["commit"] == git("rev-parse", "HEAD", cwd=checkout).strip()
    assert "outside the diff" in done.report("report.md")


def test_diff_whole_files_reports_every_finding_of_the_changed_files(review, checkout):
    done = review(checkout, "--diff", "HEAD", "--diff-whole-files")
    assert sorted(shown(done)) == [
        ("security", "code-injection", "app/views.py", 6),
        ("security", "command-injection", "app/views.py", 5),
    ]


def test_committed_changes_and_untracked_files_count(review, checkout):
    git("commit", "-q", "-am", "second", cwd=checkout)
    (checkout / "app" / "loader.py").write_text(
        "import pickle\nfrom flask import request\n\ndef load():\n    return pickle.loads(request.get_data())\n"
    )
    done = review(checkout, "--diff", "HEAD~1")
    assert sorted(shown(done)) == [
        ("security", "code-injection", "app/views.py", 6),
        ("security", "unsafe-deserialization", "app/loader.py", 5),
    ]


def test_a_subdirectory_of_a_checkout_is_diffed_relative_to_itself(review, checkout):
    done = review(checkout / "app", "--diff", "HEAD")
    assert shown(done) == [("security", "code-injection", "views.py", 6)]


def test_diff_mistakes_are_one_line_errors(cli, repo, checkout, tmp_path):
    result = cli("review", str(checkout), "--diff", "no-such-ref")
    assert (result.exit_code, result.stderr.strip()) == (
        2,
        "error: --diff: unknown revision 'no-such-ref'",
    )
    plain = tmp_path / "plain"
    plain.mkdir()
    result = cli("review", str(plain), "--diff", "HEAD")
    assert (result.exit_code, result.stderr.strip()) == (
        2,
        f"error: --diff: {plain} is not inside a git checkout",
    )
    result = cli("review", str(checkout), "--diff-whole-files")
    assert (result.exit_code, result.stderr.strip()) == (
        2,
        "error: --diff-whole-files needs --diff BASE_REF",
    )


PATCH = """\
diff --git a/app/views.py b/app/views.py
index 1111111..2222222 100644
--- a/app/views.py
+++ b/app/views.py
@@ -5,0 +6 @@ def run(command):
+    eval(command)
@@ -9,2 +10,3 @@ def other():
-    a
-    b
+    c
+    d
+    e
@@ -20 +21,0 @@ def gone():
-    removed
diff --git a/old name.py b/old name.py
deleted file mode 100644
--- a/old name.py
+++ /dev/null
@@ -1,2 +0,0 @@
-x
-y
diff --git a/a.py b/b dir/b.py
similarity index 100%
rename from a.py
rename to b dir/b.py
diff --git "a/tab\\there.py" "b/tab\\there.py"
--- "a/tab\\there.py"
+++ "b/tab\\there.py"
@@ -1 +1 @@
-old
+new
diff --git a/new.py b/new.py
new file mode 100644
--- /dev/null
+++ b/new.py
@@ -0,0 +1,3 @@
+a
+b
+c
"""


def test_patches_parse_into_changed_line_ranges():
    assert diff.parse_patch(PATCH) == {
        "app/views.py": [[6, 6], [10, 12]],
        "b dir/b.py": [],
        "tab\there.py": [[1, 1]],
        "new.py": [[1, 3]],
    }


def test_findings_are_kept_when_any_of_their_lines_changed():
    scope = diff.DiffScope(base="HEAD", commit="0" * 40, files={"a.py": [[10, 12]]})
    findings = [Finding(rule_id=str(start), message="m", file="a.py", line=start, end_line=end)
                for start, end in [(8, 9), (8, 10), (12, 15), (13, 13)]] + [
        Finding(rule_id="x", message="m", file="b.py", line=10)]  # fmt: skip
    assert [f.rule_id for f in diff.keep_changed(findings, scope)] == ["8", "12"]
    assert [f.rule_id for f in diff.keep_changed(findings, scope.model_copy(update={"whole_files": True}))] == [
        "8",
        "8",
        "12",
        "13",
    ]
    assert diff.keep_changed(findings, None) == findings
