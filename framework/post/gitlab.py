"""Posting to a GitLab merge request through python-gitlab: one discussion per finding, one summary note.

Requests, in order: ``GET /user`` (whose notes are codepanel's), ``GET merge_requests/IID`` (the
diff refs a position needs), ``GET merge_requests/IID/versions`` and ``GET .../versions/ID`` (the
latest diff: the lines a comment may sit on), ``GET .../discussions`` and ``GET .../notes`` (what
codepanel posted before), then ``POST .../discussions`` with a position per new comment,
``PUT .../discussions/D/notes/N`` and ``PUT .../discussions/D`` (resolved) per finding gone, and
``POST .../notes`` or ``PUT .../notes/N`` for the summary. GitLab has no review of many comments
at once, so each inline comment is one request, within ``Limits.max_inline``.
"""

from __future__ import annotations

from typing import Any

from framework.post import markers
from framework.post.limits import Limits
from framework.post.outcome import PostFailed
from framework.post.patches import ChangedFile, parse
from framework.post.plan import Inline, Mark, Posted, PullInfo
from framework.post.target import Target


class GitLabPoster:
    flavour = "gitlab"

    def __init__(self, target: Target, limits: Limits):
        import gitlab

        self.target = target
        # NOTE: no retry of server errors: a discussion created behind a 502 would be posted twice;
        # python-gitlab retries 429s after GitLab's Retry-After (ten times at most) on its own.
        self.client = gitlab.Gitlab(target.api_url, private_token=target.token, timeout=limits.timeout,
                                    per_page=100, retry_transient_errors=False)  # fmt: skip
        self.project = self.client.projects.get(target.repository, lazy=True)
        self.request: Any = None
        self.refs: dict[str, str] = {}
        self.username: str | None = None

    def open(self) -> PullInfo:
        def read():
            self.client.auth()
            self.username = self.client.user.username
            self.request = self.project.mergerequests.get(self.target.number)
            return self.request

        request = self._call(read)
        self.refs = dict(request.diff_refs or {})
        if not self.refs.get("head_sha"):
            raise PostFailed("the merge request has no diff yet")
        fork = request.source_project_id != request.target_project_id
        return PullInfo(self.refs["head_sha"], f"project {request.source_project_id}" if fork else None)

    def files(self) -> dict[str, ChangedFile]:
        def read():
            versions = self.request.diffs.list(get_all=False, per_page=1)
            if not versions:
                return {}
            version = self.request.diffs.get(versions[0].id)
            changed = {}
            for item in version.diffs:
                if not item.get("deleted_file") and item.get("diff"):
                    changed[item["new_path"]] = parse(item["new_path"], item["diff"], item.get("old_path"))
            return changed

        return self._call(read)

    def posted(self) -> tuple[list[Posted], Any]:
        def read():
            inline = []
            for discussion in self.request.discussions.list(get_all=True):
                notes = discussion.attributes.get("notes") or []
                first = notes[0] if notes else {}
                if self._ours(first) and (marker := markers.finding_marker(first.get("body"))):
                    inline.append(Posted(first["id"], marker, first["body"], discussion))
            summary = next((note for note in self.request.notes.list(get_all=True, sort="asc")
                            if not note.attributes.get("system") and self._ours(note.attributes)
                            and markers.is_summary(note.body)), None)  # fmt: skip
            return inline, summary

        return self._call(read)

    def review(self, head: str, body: str, inline: list[Inline]) -> None:
        for item in inline:
            position = {"position_type": "text", "base_sha": self.refs.get("base_sha"),
                        "start_sha": self.refs.get("start_sha"), "head_sha": head,
                        "new_path": item.path, "old_path": item.old_path or item.path, "new_line": item.line}  # fmt: skip
            self._call(lambda position=position, item=item: self.request.discussions.create(
                {"body": item.body, "position": position}))  # fmt: skip

    def mark(self, mark: Mark) -> None:
        discussion = mark.posted.handle

        def write():
            note = discussion.notes.get(mark.posted.id, lazy=True)
            note.body = mark.body
            note.save()
            discussion.resolved = True
            discussion.save()

        self._call(write)

    def put_summary(self, existing: Any, body: str) -> str:
        if existing is not None:
            existing.body = body
            self._call(existing.save)
            return "updated"
        self._call(lambda: self.request.notes.create({"body": body}))
        return "created"

    def _ours(self, note: dict[str, Any]) -> bool:
        author = note.get("author") or {}
        return self.username is not None and author.get("username") == self.username

    def _call(self, action):
        import gitlab
        from requests.exceptions import ConnectionError, Timeout

        try:
            return action()
        except gitlab.exceptions.GitlabError as error:
            raise PostFailed(_refused(error.response_code, " ".join(str(error.error_message).split())[:200])) from None
        except (ConnectionError, Timeout) as error:
            raise PostFailed(f"could not reach {self.target.api_url}: {type(error).__name__}") from None


def _refused(status: int | None, message: str) -> str:
    if status == 401:
        return f"GitLab refused the token (401 {message})"
    if status == 403:
        return f"the token may not write to this merge request (403 {message}); it needs the api scope and Reporter access"
    if status == 404:
        return f"no such merge request, or the token cannot see it (404 {message})"
    if status == 429:
        return f"GitLab's rate limit held after backing off (429 {message})"
    return f"GitLab answered {status}: {message}"
