"""The parts of posting that need no server: the target from CI's variables, diffs, suggestions, comments."""

from __future__ import annotations

import json

import pytest

from framework.findings import Finding
from framework.post import comments, markers
from framework.post.limits import MAX_COMMENT_CHARS
from framework.post.patches import parse
from framework.post.suggestion import suggest
from framework.post.target import PostSkipped, from_environment


def test_the_github_target_comes_from_the_actions_variables(tmp_path):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 12}}))
    env = {"GITHUB_TOKEN": "ghs_SECRET", "GITHUB_REPOSITORY": "octo/app", "GITHUB_EVENT_PATH": str(event)}
    target = from_environment("github", env=env)
    assert (target.api_url, target.repository, target.number, target.label) == (
        "https://api.github.com", "octo/app", 12, "octo/app#12")  # fmt: skip
    assert "SECRET" not in repr(target)  # the token is never printed
    ghes = from_environment("github", 5, env={**env, "GITHUB_API_URL": "https://git.example.com/api/v3/"})
    assert (ghes.api_url, ghes.number) == ("https://git.example.com/api/v3", 5)


@pytest.mark.parametrize(("env", "reason"), [
    ({"GITHUB_REPOSITORY": "octo/app", "GITHUB_EVENT_PATH": "EVENT"}, "no GITHUB_TOKEN in the environment"),
    ({"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "octo"}, "GITHUB_REPOSITORY is not set to OWNER/NAME"),
    ({"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "octo/app"}, "GITHUB_EVENT_PATH is not set; pass --pr N"),
    ({"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "octo/app", "GITHUB_EVENT_PATH": "PUSH"},
     "this workflow's event is not a pull request's"),
])  # fmt: skip
def test_what_is_missing_for_github_is_said(tmp_path, env, reason):
    (tmp_path / "event.json").write_text(json.dumps({"pull_request": {"number": 3}}))
    (tmp_path / "push.json").write_text(json.dumps({"ref": "refs/heads/main"}))
    paths = {"EVENT": str(tmp_path / "event.json"), "PUSH": str(tmp_path / "push.json")}
    env = {key: paths.get(value, value) for key, value in env.items()}
    with pytest.raises(PostSkipped, match=reason):
        from_environment("github", env=env)


def test_the_gitlab_target_comes_from_the_ci_variables():
    env = {"CI_API_V4_URL": "https://gitlab.example.com/api/v4", "CI_PROJECT_ID": "42", "CI_MERGE_REQUEST_IID": "3",
           "GITLAB_TOKEN": "glpat"}  # fmt: skip
    target = from_environment("gitlab", env=env)
    assert (target.api_url, target.repository, target.number, target.label) == (
        "https://gitlab.example.com", "42", 3, "42!3")  # fmt: skip
    with pytest.raises(PostSkipped, match="no GITLAB_TOKEN"):
        from_environment("gitlab", env={**env, "GITLAB_TOKEN": ""})
    with pytest.raises(PostSkipped, match="no merge request"):
        from_environment("gitlab", env={**env, "CI_MERGE_REQUEST_IID": ""})


def test_a_patch_gives_the_added_lines_and_the_hunks():
    patch = "@@ -1,3 +1,4 @@\n import os\n-import sys\n+import json\n+import re\n x = 1\n@@ -10,2 +11,2 @@ def f():\n-    a\n+    b\n     c"
    changed = parse("a.py", patch)
    assert changed.added == {2, 3, 11}
    assert changed.hunks == [(1, 4), (11, 12)]
    assert changed.anchor(1, 2) == 2 and changed.anchor(4, 10) is None
    assert changed.one_hunk(2, 3) and not changed.one_hunk(3, 12)


def _fix(*edits, applicability="safe"):
    return {"fix": {"applicability": applicability, "message": "Remove it",
                    "edits": [{"location": {"row": a, "column": b}, "end_location": {"row": c, "column": d},
                               "content": text} for a, b, c, d, text in edits]}}  # fmt: skip


def test_a_fix_within_the_findings_lines_is_a_suggestion():
    lines = ["import os", "import sys", "x = 1  "]
    removal = Finding("F401", "unused", "a.py", line=2, details=_fix((2, 1, 3, 1, "")))
    assert (suggest(removal, lines).first, suggest(removal, lines).text) == (2, "")
    trailing = Finding("W291", "whitespace", "a.py", line=3, details=_fix((3, 6, 3, 8, "")))
    assert suggest(trailing, lines).text == "x = 1"
    elsewhere = Finding("W291", "whitespace", "a.py", line=2, details=_fix((3, 6, 3, 8, "")))
    assert suggest(elsewhere, lines) is None
    shown_only = Finding("F401", "unused", "a.py", line=2, details=_fix((2, 1, 3, 1, ""), applicability="display-only"))
    assert suggest(shown_only, lines) is None


def test_an_inline_comment_is_bounded_escaped_and_marked():
    finding = Finding("x", "@team <script>alert(1)</script> " + "long " * 30_000, "a.py", reviewer="security",
                      recommendation="[click](https://evil.example)").with_fingerprint("line")  # fmt: skip
    body = comments.inline(finding, None)
    assert len(body) < 5_000 < MAX_COMMENT_CHARS
    assert markers.finding_marker(body) == markers.Marker(finding.fingerprint, "security", "open")
    assert "<script>" not in body and "@team" not in body and "](" not in body
    # A marker inside the text is not at the start of a body: it never counts.
    assert markers.finding_marker("quoted: " + body) is None


def test_without_the_posting_clients_the_skip_says_what_to_install(monkeypatch):
    import sys

    from framework.post.limits import Limits
    from framework.post.posting import connect
    from framework.post.target import Target

    monkeypatch.setitem(sys.modules, "github", None)  # as if PyGithub were not installed
    with pytest.raises(PostSkipped, match=r"PyGithub is not installed: pip install 'codepanel\[post\]'"):
        connect(Target("github", "https://api.github.com", "octo/app", 1, "t"), Limits())
