"""Posting on a GitHub pull request, against a local server that holds every request to GitHub's OpenAPI description."""

from __future__ import annotations

import json

from framework.findings import Finding
from framework.post import markers
from framework.post.posting import post_run
from framework.run.finish import load_findings
from tests.post.conftest import FAST, actions_env

VIEWS_1 = """import os
import sys
from flask import request


def hello():
    return 'hello'


def run():
    command = request.args["command"]
    os.system(command)
    return command
"""
# The push: `import sys` (unused) is gone, `import json` (unused) is new.
VIEWS_2 = VIEWS_1.replace("import sys\n", "import json\n")

ISSUE = "/repos/octo/app/issues/7/comments"
PULL = "/repos/octo/app/pulls/7"


def files_of(folder) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def posted_findings(run) -> list[Finding]:
    return [f for f in load_findings(run) if f.shown]


def markers_of(comments) -> list[markers.Marker]:
    return [markers.finding_marker(comment["body"]) for comment in comments]


def post(run, server, **kwargs):
    return post_run(run, "github", server.number, env=actions_env(server), limits=FAST, **kwargs)


def test_two_runs_post_once_then_update_in_place_and_mark_the_fixed_one(cli, checkout, github):
    checkout.push({"app/views.py": VIEWS_1})
    server = github(head=checkout.head(), patches=checkout.patches())
    _, run = checkout.review(cli)
    expected = posted_findings(run)
    assert {(f.rule_id, f.line) for f in expected} >= {("F401", 2), ("command-injection", 12)}

    before = files_of(checkout.workspace)
    first = post(run, server)
    assert files_of(checkout.workspace) == before  # posting only reads the workspace
    assert server.violations == []
    assert (first.posted, first.already, first.marked, first.summary) == (len(expected), 0, 0, "created")
    (review,) = server.reviews
    assert len(review["comments"]) == len(expected) == len(server.review_comments)
    assert {m.fingerprint for m in markers_of(server.review_comments)} == {f.fingerprint for f in expected}
    assert all(comment["side"] == "RIGHT" and comment["path"] == "app/views.py" for comment in review["comments"])
    (summary,) = server.issue_comments
    assert markers.is_summary(summary["body"]) and "# codepanel review of" in summary["body"]
    # ruff's fix for the unused import (delete the line) is a suggestion block on that line.
    unused = next(c for c in review["comments"] if "`style/F401`" in c["body"])
    assert (unused["line"], "```suggestion\n```") == (2, unused["body"].split("\n\n")[-2].strip())
    first_requests = list(server.requests)

    checkout.push({"app/views.py": VIEWS_2})
    server.head, server.patches = checkout.head(), checkout.patches()
    server.requests.clear()
    _, run2 = checkout.review(cli)
    second = post(run2, server)
    assert server.violations == []
    assert (second.posted, second.already, second.marked, second.summary) == (1, len(expected) - 1, 1, "updated")
    assert len(server.issue_comments) == 1 and server.issue_comments[0]["id"] == summary["id"]
    assert "1 new inline comments" in server.issue_comments[0]["body"]
    assert len(server.reviews) == 2 and len(server.reviews[1]["comments"]) == 1
    assert "`json` imported but unused" in server.reviews[1]["comments"][0]["body"]
    states = {m.fingerprint: m.state for m in markers_of(server.review_comments)}
    fixed = next(f for f in expected if f.rule_id == "F401")
    assert states[fixed.fingerprint] == markers.FIXED
    assert sum(state == markers.OPEN for state in states.values()) == len(expected)
    fixed_comment = next(c for c in server.review_comments if markers.finding_marker(c["body"]).state == "fixed")
    assert "**Fixed:** codepanel no longer finds this" in fixed_comment["body"]
    assert "~~" in fixed_comment["body"]
    print("run 1:", *(f"{m} {p}" for m, p in first_requests), sep="\n  ")
    print("run 2:", *(f"{m} {p}" for m, p in server.requests), sep="\n  ")
    assert [r for r in server.requests if r[0] != "GET"] == [
        ("POST", f"{PULL}/reviews"), ("PATCH", f"/repos/octo/app/pulls/comments/{fixed_comment['id']}"),
        ("PATCH", f"/repos/octo/app/issues/comments/{summary['id']}"),
    ]  # fmt: skip


def test_a_run_with_no_token_completes_and_says_posting_was_skipped(cli, checkout, tmp_path):
    checkout.push({"app/views.py": VIEWS_1})
    step_summary = tmp_path / "step-summary.md"
    env = {"GITHUB_REPOSITORY": "octo/app", "GITHUB_STEP_SUMMARY": str(step_summary)}
    result, run = checkout.review(cli, "--post", "github", "--pr", "7", "--fail-on", "critical", env=env)
    assert result.exit_code == 1  # the review's own: a critical command injection, --fail-on critical
    assert "Posting to github skipped: no GITHUB_TOKEN in the environment" in result.stderr
    text = step_summary.read_text()
    assert "skipped: no GITHUB_TOKEN" in text and "# codepanel review of" in text
    assert json.loads(run.summary_path.read_text())["status"] == "ok"  # the review itself completed
    result, _ = checkout.review(cli, "--post", "github", env={"GITHUB_REPOSITORY": "octo/app"})
    assert result.exit_code == 0
    assert "no pull request: GITHUB_EVENT_PATH is not set; pass --pr N" in result.stderr


def test_the_pull_request_number_comes_from_the_event_and_the_review_posts(cli, checkout, github, tmp_path):
    checkout.push({"app/views.py": VIEWS_1})
    server = github(head=checkout.head(), patches=checkout.patches())
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "synchronize", "pull_request": {"number": 7}}))
    result, run = checkout.review(cli, "--post", "github", env={**actions_env(server), "GITHUB_EVENT_PATH": str(event)})
    assert result.exit_code == 0, result.output
    assert server.violations == []
    assert f"Posted to octo/app#7: {len(posted_findings(run))} new inline comments" in result.stderr
    # `codepanel post RUN_ID` of the same run finds everything posted: nothing new, the summary updated.
    result = cli("post", run.id, "--to", "github", "--pr", "7", env=actions_env(server))
    assert result.exit_code == 0
    assert "0 new inline comments" in result.stderr and "summary comment updated" in result.stderr
    assert len(server.reviews) == 1 and len(server.issue_comments) == 1


def test_a_pull_request_of_300_changed_files_stays_within_github_limits(cli, checkout, github):
    checkout.push({f"app/module_{n:03}.py": f"import sys\n\nVALUE = {n}\n" for n in range(300)})
    server = github(head=checkout.head(), patches=checkout.patches())
    assert len(server.patches) == 300
    _, run = checkout.review(cli)
    shown = posted_findings(run)
    assert len(shown) >= 300
    outcome = post(run, server)
    assert server.violations == []
    assert outcome.posted == FAST.max_inline == 50 and outcome.over_limit == len(shown) - 50
    (review,) = server.reviews
    assert len(review["comments"]) == 50
    assert all(len(comment["body"]) <= 65_536 for comment in review["comments"])
    (summary,) = server.issue_comments
    assert len(summary["body"]) <= 65_536
    assert f"{len(shown) - 50} more findings on changed lines were not commented inline: at most 50" in summary["body"]
    # Three pages of files (100 a page), one of each comment list, one review, one summary.
    assert server.requests.count(("GET", f"{PULL}/files")) == 3
    assert len(server.requests) == 8
    # The next run posts the next 50, and no comment twice.
    post(run, server)
    assert len(server.reviews) == 2 and len(server.review_comments) == 100
    assert len({markers.finding_marker(c["body"]).fingerprint for c in server.review_comments}) == 100


def test_a_forks_read_only_token_skips_posting_and_the_exit_code_is_the_reviews(cli, checkout, github, tmp_path):
    checkout.push({"app/views.py": VIEWS_1})
    server = github(head=checkout.head(), patches=checkout.patches(), head_repository="mallory/app", read_only=True)
    step_summary = tmp_path / "summary.md"
    env = {**actions_env(server), "GITHUB_STEP_SUMMARY": str(step_summary)}
    result, _ = checkout.review(cli, "--post", "github", "--pr", "7", "--fail-on", "high", env=env)
    assert result.exit_code == 1  # --fail-on high met by the command injection, as without --post
    assert server.violations == []
    line = next(line for line in result.stderr.splitlines() if "Posting to octo/app#7 skipped" in line)
    assert "this pull request comes from the fork mallory/app" in line and "403 Resource not accessible" in line
    assert "read-only GITHUB_TOKEN" in step_summary.read_text()
    assert server.reviews == [] and server.issue_comments == []
    assert [m for m, _ in server.requests if m != "GET"] == ["POST", "POST"]  # the review, then the summary


def test_rate_limiting_backs_off_then_gives_up_in_one_line(cli, checkout, github):
    checkout.push({"app/views.py": VIEWS_1})
    _, run = checkout.review(cli)
    # One refusal with a reset a second away: codepanel waits for it, then posts.
    server = github(head=checkout.head(), patches=checkout.patches(), rate_limited=1, rate_limit_reset=1)
    outcome = post(run, server)
    assert server.violations == [] and outcome.skipped is None and outcome.summary == "created"
    assert server.requests[:2] == [("GET", PULL), ("GET", PULL)]
    # A reset an hour away is past the longest wait: nothing is posted, and one line says why.
    server = github(head=checkout.head(), patches=checkout.patches(), rate_limited=100, rate_limit_reset=3600)
    outcome = post(run, server)
    assert outcome.posted == 0 and outcome.summary is None
    assert outcome.line() == ("Posting to octo/app#7 skipped: GitHub's rate limit held after backing off "
                              "(API rate limit exceeded for installation ID 1.)")  # fmt: skip
    assert len(server.requests) == 1
    # A secondary limit on the review's POST: codepanel waits its Retry-After, and the review is posted once.
    server = github(head=checkout.head(), patches=checkout.patches(), rate_limited=1, rate_limit_reset=1,
                    rate_limit_kind="secondary", rate_limit_only="POST")  # fmt: skip
    outcome = post(run, server)
    assert server.violations == [] and outcome.skipped is None and len(server.reviews) == 1
    assert server.requests.count(("POST", f"{PULL}/reviews")) == 2


def test_markers_in_other_peoples_comments_are_not_trusted(cli, checkout, github):
    checkout.push({"app/views.py": VIEWS_1})
    server = github(head=checkout.head(), patches=checkout.patches())
    _, run = checkout.review(cli)
    injection = next(f for f in posted_findings(run) if f.rule_id == "command-injection")
    forged = markers.Marker(injection.fingerprint, "security", "open").text()
    mallory = {"login": "mallory", "type": "User", "id": 666}
    server.add_comment(inline={"path": "app/views.py", "line": 12}, body=f"{forged}\nnothing to see", user=mallory)
    server.add_comment(body=f"{markers.SUMMARY}\nmy summary", user=mallory)
    outcome = post(run, server)
    assert server.violations == []
    assert outcome.already == 0 and outcome.summary == "created"
    assert any(injection.fingerprint in c["body"] for c in server.reviews[0]["comments"])
    assert server.issue_comments[0]["body"] == f"{markers.SUMMARY}\nmy summary"  # left alone


def test_a_personal_token_is_identified_and_only_its_own_comments_count(cli, checkout, github):
    checkout.push({"app/views.py": VIEWS_1})
    server = github(head=checkout.head(), patches=checkout.patches(),
                    user={"login": "ci-user", "type": "User", "id": 5})  # fmt: skip
    _, run = checkout.review(cli)
    injection = next(f for f in posted_findings(run) if f.rule_id == "command-injection")
    earlier = markers.Marker(injection.fingerprint, "security", "open").text()
    server.add_comment(inline={"path": "app/views.py", "line": 12}, body=f"{earlier}\nposted before",
                       user={"login": "ci-user", "type": "User", "id": 5})  # fmt: skip
    outcome = post_run(run, "github", 7, env=actions_env(server, token="ghp_personal"), limits=FAST)
    assert server.violations == [] and server.requests[0] == ("GET", "/user")
    assert outcome.already == 1 and outcome.posted == len(posted_findings(run)) - 1


def test_github_enterprise_server_is_reached_through_its_api_url(cli, checkout, github):
    from tests.post import openapi_contract
    from tests.post.github_server import FakeGitHub

    checkout.push({"app/views.py": VIEWS_1})
    _, run = checkout.review(cli)
    server = FakeGitHub(openapi_contract.load(openapi_contract.GHES), base_path="/api/v3",
                        head=checkout.head(), patches=checkout.patches())  # fmt: skip
    server.start()
    try:
        outcome = post(run, server)
    finally:
        server.stop()
    assert server.url.endswith("/api/v3")
    assert server.violations == [] and outcome.summary == "created" and outcome.posted == len(posted_findings(run))


def test_the_contract_catches_what_github_does_not_describe(contract):
    from tests.post.github_server import FakeGitHub

    server = FakeGitHub(contract)
    server.url = "http://127.0.0.1:1"
    server.handle("POST", "/repos/octo/app/pulls/7/reviews", json.dumps({"event": "COMMENT", "mood": "happy"}).encode())
    server.handle("GET", "/repos/octo/app/pulls/7/threads", b"")
    server.handle("PUT", "/repos/octo/app/issues/comments/1", json.dumps({"body": "x"}).encode())
    assert len(server.violations) == 3
    assert "body property not described: mood" in server.violations[0]
    assert "PathNotFound" in server.violations[1] and "OperationNotFound" in server.violations[2]
    template = "/repos/{owner}/{repo}/issues/comments/{comment_id}"
    bad = contract.example(template, "GET", 200)
    del bad["user"]
    assert contract.check_response("GET", "/repos/o/r/issues/comments/1", {}, None, 200, bad, {})
