"""A local GitHub API for the posting tests: one pull request, held in memory, every exchange checked.

Each request is checked against GitHub's OpenAPI description before it is served, and each
response after it is built (``openapi_contract``); a request the description does not have, or
one this server does not serve, is a violation, answered 404. Tests assert ``violations == []``
and read ``requests`` (method and path, in order). Like GitHub, a review comment must sit on a line
of the pull request's diff, and a body may not pass 65,536 characters (422 otherwise).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from framework.post.patches import parse
from tests.post.openapi_contract import Contract

BOT = {"login": "github-actions[bot]", "type": "Bot", "id": 41898282}
MAX_BODY = 65_536
ROUTES = [
    ("GET", "/user", "route_user"),
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}", "route_pull"),
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files", "route_files"),
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/comments", "route_review_comments"),
    ("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments", "route_issue_comments"),
    ("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", "route_create_review"),
    ("PATCH", "/repos/{owner}/{repo}/pulls/comments/{comment_id}", "route_edit_review_comment"),
    ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", "route_create_issue_comment"),
    ("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", "route_edit_issue_comment"),
]


def _pattern(template: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$")


COMPILED = [(method, _pattern(template), template, name) for method, template, name in ROUTES]


@dataclass
class FakeGitHub:
    contract: Contract
    repository: str = "octo/app"
    number: int = 7
    head: str = "1" * 40
    head_repository: str | None = None  # a fork's name
    # Path -> patch text of the pull request's files.
    patches: dict[str, str] = field(default_factory=dict)
    user: dict[str, Any] = field(default_factory=lambda: dict(BOT))
    base_path: str = ""  # "/api/v3" for a GitHub Enterprise Server
    review_comments: list[dict[str, Any]] = field(default_factory=list)
    issue_comments: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    # Answer the next N requests 403 with a primary rate limit resetting in ``rate_limit_reset`` s.
    rate_limited: int = 0
    rate_limit_reset: float = 1.0
    # "primary" (X-RateLimit-Reset) or "secondary" (Retry-After, as GitHub's abuse limits answer).
    rate_limit_kind: str = "primary"
    rate_limit_only: str | None = None  # limit only the requests of this method
    # Refuse writes as a fork's read-only token is refused.
    read_only: bool = False
    _ids: Any = field(default_factory=lambda: itertools.count(1001))

    # -- the server ------------------------------------------------------------------------------
    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                try:
                    status, data, headers = fake.handle(self.command, self.path, body)
                except Exception as error:  # noqa: BLE001 - a bug of this server fails the test, never hangs it
                    fake.violations.append(f"test server error on {self.command} {self.path}: {error!r}")
                    status, data, headers = 500, {"message": "test server error"}, {}
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{self.base_path}"
        return self.url

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, method: str, raw_path: str, body: bytes):
        parts = urlsplit(raw_path)
        path = parts.path.removeprefix(self.base_path)
        query = parse_qs(parts.query)
        self.requests.append((method, path))
        route = next(((template, name, match) for verb, pattern, template, name in COMPILED
                      if verb == method and (match := pattern.match(path))), None)  # fmt: skip
        problems = self.contract.check_request(method, path, query, body or None, route[0] if route else None)
        if not problems and route is None:
            problems = [f"{method} {path}: described by GitHub, but not served by this test server"]
        if problems:
            self.violations += problems
            return 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, {}
        template, name, match = route
        if self.rate_limited and self.rate_limit_only in (None, method):
            self.rate_limited -= 1
            reset = str(int(time.time() + self.rate_limit_reset))
            if self.rate_limit_kind == "secondary":
                return 403, {"message": "You have exceeded a secondary rate limit. Please wait a few minutes.",
                             "documentation_url": "https://docs.github.com/rest/rate-limit"}, \
                    {"retry-after": str(int(self.rate_limit_reset))}  # fmt: skip
            return 403, {"message": "API rate limit exceeded for installation ID 1.",
                         "documentation_url": "https://docs.github.com/rest/rate-limit"}, \
                {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset}  # fmt: skip
        if self.read_only and method != "GET":
            status, data, headers = 403, {"message": "Resource not accessible by integration",
                                          "documentation_url": "https://docs.github.com/rest"}, {}  # fmt: skip
        else:
            status, data, headers = getattr(self, name)(match, query, json.loads(body) if body else None, template)
        self.violations += self.contract.check_response(method, path, query, body or None, status, data, headers)
        return status, data, headers

    # -- the routes ------------------------------------------------------------------------------
    def route_user(self, match, query, body, template):
        # NOTE: the answer is oneOf private-user and public-user, told apart by user_view_type.
        return 200, self.contract.schema_example("public-user", user_view_type="public", **self.user), {}

    def route_pull(self, match, query, body, template):
        head_repo = self.head_repository or self.repository
        data = self.contract.example(template, "GET", 200, number=self.number, state="open",
                                     url=f"{self.url}/repos/{self.repository}/pulls/{self.number}",
                                     issue_url=f"{self.url}/repos/{self.repository}/issues/{self.number}",
                                     comments_url=f"{self.url}/repos/{self.repository}/issues/{self.number}/comments",
                                     review_comments_url=f"{self.url}/repos/{self.repository}/pulls/{self.number}/comments",
                                     head={"sha": self.head, "repo": {"full_name": head_repo}},
                                     base={"repo": {"full_name": self.repository}})  # fmt: skip
        return 200, data, {}

    def route_files(self, match, query, body, template):
        items = [self.contract.item_example(template, "GET", 200, filename=path, status="modified", patch=patch)
                 for path, patch in self.patches.items()]  # fmt: skip
        return self._page(items, query, match)

    def route_review_comments(self, match, query, body, template):
        return self._page(self.review_comments, query, match)

    def route_issue_comments(self, match, query, body, template):
        return self._page(self.issue_comments, query, match)

    def route_create_review(self, match, query, body, template):
        for comment in body.get("comments", []):
            problem = self._placement(comment)
            if problem or len(comment["body"]) > MAX_BODY:
                return 422, {"message": "Unprocessable Entity", "errors": [problem or "body is too long"],
                             "documentation_url": "https://docs.github.com/rest"}, {}  # fmt: skip
        review_id = next(self._ids)
        for comment in body.get("comments", []):
            self.review_comments.append(self._review_comment(comment, review_id, body.get("commit_id") or self.head))
        review = self.contract.example(template, "POST", 200, id=review_id, body=body.get("body", ""),
                                       state="COMMENTED", commit_id=body.get("commit_id") or self.head,
                                       user=self._user(BOT))  # fmt: skip
        self.reviews.append({**review, "comments": body.get("comments", [])})
        return 200, review, {}

    def route_edit_review_comment(self, match, query, body, template):
        comment = next((c for c in self.review_comments if c["id"] == int(match["comment_id"])), None)
        if comment is None:
            return 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, {}
        comment["body"] = body["body"]
        return 200, comment, {}

    def route_create_issue_comment(self, match, query, body, template):
        if len(body["body"]) > MAX_BODY:
            return 422, {"message": "body is too long (maximum is 65536 characters)",
                         "documentation_url": "https://docs.github.com/rest"}, {}  # fmt: skip
        comment = self._issue_comment(template, body["body"], BOT)
        self.issue_comments.append(comment)
        return 201, comment, {"Location": f"{self.url}/repos/{self.repository}/issues/comments/{comment['id']}"}

    def route_edit_issue_comment(self, match, query, body, template):
        comment = next((c for c in self.issue_comments if c["id"] == int(match["comment_id"])), None)
        if comment is None:
            return 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, {}
        if len(body["body"]) > MAX_BODY:
            return 422, {"message": "body is too long", "documentation_url": "https://docs.github.com/rest"}, {}
        comment["body"] = body["body"]
        return 200, comment, {}

    # -- helpers ---------------------------------------------------------------------------------
    def add_comment(self, *, inline: dict[str, Any] | None = None, body: str, user: dict[str, Any] | None = None):
        """A comment someone else (or an earlier run) left: inline when ``inline`` gives path and line."""
        user = self._user(user or BOT)
        if inline is not None:
            comment = self._review_comment({**inline, "body": body}, next(self._ids), self.head)
            comment["user"] = user
            self.review_comments.append(comment)
        else:
            template = "/repos/{owner}/{repo}/issues/{issue_number}/comments"
            self.issue_comments.append(self._issue_comment(template, body, user))

    def _issue_comment(self, template: str, body: str, user: dict[str, Any]) -> dict[str, Any]:
        number = next(self._ids)
        return self.contract.example(template, "POST", 201, id=number, body=body, user=self._user(user),
                                     url=f"{self.url}/repos/{self.repository}/issues/comments/{number}")  # fmt: skip

    def _review_comment(self, comment: dict[str, Any], review_id: int, commit: str) -> dict[str, Any]:
        template = "/repos/{owner}/{repo}/pulls/comments/{comment_id}"
        number = next(self._ids)
        return self.contract.example(template, "GET", 200, id=number, pull_request_review_id=review_id,
                                     url=f"{self.url}/repos/{self.repository}/pulls/comments/{number}",
                                     path=comment["path"], line=comment.get("line"),
                                     start_line=comment.get("start_line"), side=comment.get("side", "RIGHT"),
                                     body=comment["body"], commit_id=commit, user=self._user(BOT))  # fmt: skip

    def _placement(self, comment: dict[str, Any]) -> str | None:
        patch = self.patches.get(comment["path"])
        if patch is None or "line" not in comment:
            return "Path could not be resolved" if patch is None else "line is required"
        changed = parse(comment["path"], patch)
        first = comment.get("start_line", comment["line"])
        if not changed.one_hunk(first, comment["line"]):
            return "Pull request review thread line must be part of the diff"
        return None

    def _user(self, user: dict[str, Any]) -> dict[str, Any]:
        return self.contract.schema_example("simple-user", **user)

    def _page(self, items: list[Any], query: dict[str, list[str]], match) -> tuple[int, Any, dict[str, str]]:
        size = int(query.get("per_page", ["30"])[0])
        page = int(query.get("page", ["1"])[0])
        chunk = items[(page - 1) * size : page * size]
        headers = {}
        if page * size < len(items):
            last = (len(items) + size - 1) // size
            base = f"{self.url}{match.string}"
            headers["Link"] = (f'<{base}?per_page={size}&page={page + 1}>; rel="next", '
                               f'<{base}?per_page={size}&page={last}>; rel="last"')  # fmt: skip
        return 200, chunk, headers
