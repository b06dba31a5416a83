"""Posting to a GitHub pull request through PyGithub: one review, one summary comment, edits.

Requests, in order: ``GET /user`` (only for a personal token: an Actions or App token is a bot,
and ``/user`` refuses it), ``GET pulls/N`` (the head commit, and whether it comes from a fork),
``GET pulls/N/files`` (the lines a comment may sit on), ``GET pulls/N/comments`` and
``GET issues/N/comments`` (what codepanel posted before), then the writes: ``POST pulls/N/reviews``
with every new inline comment, ``PATCH pulls/comments/ID`` per comment marked fixed, and
``POST issues/N/comments`` or ``PATCH issues/comments/ID`` for the summary. The API URL comes from
the target, so a GitHub Enterprise Server (``https://HOST/api/v3``) works the same way.
"""

from __future__ import annotations

from typing import Any

from framework.post import markers
from framework.post.limits import Limits
from framework.post.outcome import PostFailed
from framework.post.patches import ChangedFile, parse
from framework.post.plan import Inline, Mark, Posted, PullInfo
from framework.post.target import Target

# GitHub's installation tokens (Actions' GITHUB_TOKEN, GitHub Apps) start so; they post as a bot.
INSTALLATION_TOKEN_PREFIX = "ghs_"


def _retry(limits: Limits):
    from github import GithubRetry

    class Retry(GithubRetry):
        # NOTE: a POST that failed with a server error may still have created its review; only rate
        # limits (403/429, which create nothing) are retried for it, so nothing is posted twice.
        def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
            if method == "POST" and status_code >= 500:
                return False
            return super().is_retry(method, status_code, has_retry_after)

    # NOTE: read=0: a request whose answer was lost may have been carried out (a POST twice).
    settings = {"total": limits.retries, "read": 0, "backoff_factor": 1.0, "secondary_rate_wait": min(60.0, limits.max_wait),
                    "max_rate_limit_wait": limits.max_wait, "status_forcelist": [429, *range(500, 600)]}  # fmt: skip
    try:  # a Retry-After longer than the longest wait is cut to it (urllib3 2.6 and later)
        return Retry(**settings, retry_after_max=int(limits.max_wait))
    except TypeError:
        return Retry(**settings)


class GitHubPoster:
    flavour = "github"

    def __init__(self, target: Target, limits: Limits):
        from github import Auth, Github

        self.target = target
        self.client = Github(auth=Auth.Token(target.token), base_url=target.api_url, per_page=100,
                             retry=_retry(limits), lazy=True, timeout=int(max(1, limits.timeout)),
                             seconds_between_requests=None,
                             seconds_between_writes=limits.seconds_between_writes or None)  # fmt: skip
        self.repo = self.client.get_repo(target.repository)
        self.pull = self.repo.get_pull(target.number)
        self.login: str | None = None

    def open(self) -> PullInfo:
        if not self.target.token.startswith(INSTALLATION_TOKEN_PREFIX):
            self.login = self._call(lambda: self.client.get_user().login)
        head = self._call(lambda: (self.pull.head.sha, self.pull.head.repo.full_name if self.pull.head.repo else None))
        return PullInfo(head[0], head[1] if head[1] and head[1] != self.target.repository else None)

    def files(self) -> dict[str, ChangedFile]:
        def read():
            changed = {}
            for item in self.pull.get_files():
                if item.status != "removed" and item.patch:  # no patch: binary, or too large to show
                    changed[item.filename] = parse(item.filename, item.patch, item.previous_filename)
            return changed

        return self._call(read)

    def posted(self) -> tuple[list[Posted], Any]:
        """codepanel's earlier inline comments, and its summary comment (or None)."""

        def read():
            inline = []
            for comment in self.pull.get_review_comments():
                if self._ours(comment) and (marker := markers.finding_marker(comment.body)):
                    inline.append(Posted(comment.id, marker, comment.body, comment))
            summary = next((comment for comment in self.pull.get_issue_comments()
                            if self._ours(comment) and markers.is_summary(comment.body)), None)  # fmt: skip
            return inline, summary

        return self._call(read)

    def review(self, head: str, body: str, inline: list[Inline]) -> None:
        comments = []
        for item in inline:
            comment = {"path": item.path, "body": item.body, "line": item.line, "side": "RIGHT"}
            if item.start_line is not None:
                comment.update(start_line=item.start_line, start_side="RIGHT")
            comments.append(comment)
        self._call(lambda: self.pull.create_review(commit=self.repo.get_commit(head), body=body,
                                                   event="COMMENT", comments=comments))  # fmt: skip

    def mark(self, mark: Mark) -> None:
        self._call(lambda: mark.posted.handle.edit(mark.body))

    def put_summary(self, existing: Any, body: str) -> str:
        if existing is not None:
            self._call(lambda: existing.edit(body))
            return "updated"
        self._call(lambda: self.pull.create_issue_comment(body))
        return "created"

    def _ours(self, comment) -> bool:
        user = comment.user
        return user is not None and (user.type == "Bot" or (self.login is not None and user.login == self.login))

    def _call(self, action):
        """Run one step of requests, turning what GitHub answers into one line."""
        from github import GithubException, RateLimitExceededException
        from requests.exceptions import ConnectionError, RetryError, Timeout

        try:
            return action()
        except RateLimitExceededException as error:
            raise PostFailed(f"GitHub's rate limit held after backing off ({_message(error)})") from None
        except RetryError:
            raise PostFailed("GitHub kept refusing or failing after backing off (rate limit or server errors)") from None
        except GithubException as error:
            raise PostFailed(_refused(error.status, _message(error))) from None
        except (ConnectionError, Timeout) as error:
            raise PostFailed(f"could not reach {self.target.api_url}: {type(error).__name__}") from None
        except AssertionError:  # PyGithub refuses to follow a URL off the API's host
            raise PostFailed(f"GitHub's answer pointed outside {self.target.api_url}") from None


def _message(error) -> str:
    data = getattr(error, "data", None)
    message = data.get("message") if isinstance(data, dict) else None
    return " ".join(str(message or data or error).split())[:200]


def _refused(status: int, message: str) -> str:
    if status == 401:
        return f"GitHub refused the token (401 {message})"
    if status == 403:
        return (f"the token may not write to this pull request (403 {message}); a pull request from a fork "
                "gets a read-only GITHUB_TOKEN, and the workflow needs `pull-requests: write`")  # fmt: skip
    if status == 404:
        return f"no such pull request, or the token cannot see it (404 {message})"
    return f"GitHub answered {status}: {message}"
