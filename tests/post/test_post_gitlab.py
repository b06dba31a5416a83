"""Posting on a GitLab merge request, against a local server that holds every request to python-gitlab's model of the API."""

from __future__ import annotations

import pytest

from framework.post import markers
from framework.post.posting import post_run
from tests.post.conftest import FAST
from tests.post.gitlab_server import FakeGitLab, check
from tests.post.test_post_github import VIEWS_1, VIEWS_2, posted_findings


@pytest.fixture
def gitlab_server():
    server = FakeGitLab()
    server.start()
    yield server
    server.stop()


def ci_env(server) -> dict[str, str]:
    return {"CI_API_V4_URL": f"{server.url}/api/v4", "CI_PROJECT_ID": server.project,
            "CI_MERGE_REQUEST_IID": str(server.iid), "GITLAB_TOKEN": "glpat-test"}  # fmt: skip


def test_two_runs_on_a_merge_request(cli, checkout, gitlab_server):
    server = gitlab_server
    checkout.push({"app/views.py": VIEWS_1})
    server.head, server.patches = checkout.head(), checkout.patches()
    _, run = checkout.review(cli)
    expected = posted_findings(run)
    first = post_run(run, "gitlab", env=ci_env(server), limits=FAST)
    assert server.violations == []
    assert (first.posted, first.summary, first.skipped) == (len(expected), "created", None)
    assert len(server.discussions) == len(expected) and len(server.notes) == 1
    unused = next(d["notes"][0] for d in server.discussions if "`style/F401`" in d["notes"][0]["body"])
    assert unused["position"]["new_line"] == 2 and "```suggestion:-0+0\n```" in unused["body"]
    first_requests = list(server.requests)

    checkout.push({"app/views.py": VIEWS_2})
    server.head, server.patches = checkout.head(), checkout.patches()
    server.requests.clear()
    _, run2 = checkout.review(cli)
    second = post_run(run2, "gitlab", env=ci_env(server), limits=FAST)
    assert server.violations == []
    assert (second.posted, second.already, second.marked, second.summary) == (1, len(expected) - 1, 1, "updated")
    assert len(server.notes) == 1 and len(server.discussions) == len(expected) + 1
    resolved = [d for d in server.discussions if d["notes"][0]["resolved"]]
    assert len(resolved) == 1 and markers.finding_marker(resolved[0]["notes"][0]["body"]).state == "fixed"
    print("run 1:", *(f"{m} {p}" for m, p in first_requests), sep="\n  ")
    print("run 2:", *(f"{m} {p}" for m, p in server.requests), sep="\n  ")


def test_no_gitlab_token_skips_with_the_reason(cli, checkout, gitlab_server):
    checkout.push({"app/views.py": VIEWS_1})
    env = {key: value for key, value in ci_env(gitlab_server).items() if key != "GITLAB_TOKEN"}
    result, _ = checkout.review(cli, "--post", "gitlab", env=env)
    assert result.exit_code == 0
    assert "Posting to gitlab skipped: no GITLAB_TOKEN in the environment" in result.stderr
    assert gitlab_server.requests == []


def test_a_forbidden_token_is_told_and_nothing_is_posted(cli, checkout, gitlab_server):
    gitlab_server.read_only = True
    checkout.push({"app/views.py": VIEWS_1})
    gitlab_server.head, gitlab_server.patches = checkout.head(), checkout.patches()
    _, run = checkout.review(cli)
    outcome = post_run(run, "gitlab", env=ci_env(gitlab_server), limits=FAST)
    assert gitlab_server.violations == []
    assert outcome.posted == 0 and outcome.summary is None
    assert "the token may not write to this merge request (403" in outcome.skipped


def test_the_gitlab_contract_catches_what_python_gitlab_does_not_model():
    _, problems = check("POST", "/projects/42/merge_requests/3/discussions", {}, {"body": "x", "mood": "happy"})
    assert problems == [("POST /projects/42/merge_requests/3/discussions: attribute not described by "
                        "ProjectMergeRequestDiscussionManager: mood")]  # fmt: skip
    assert check("POST", "/projects/42/merge_requests/3/discussions", {}, {})[1] == [
        "POST /projects/42/merge_requests/3/discussions: required attribute missing: body"]
    assert check("GET", "/projects/42/merge_requests/3/changes_everywhere", {}, None)[1]
    assert check("PUT", "/projects/42/merge_requests/3/notes/5", {}, {"body": "x"})[1] == []
