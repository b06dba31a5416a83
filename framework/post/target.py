"""Where to post: the pull request (or merge request) that CI's environment describes.

GitHub Actions sets ``GITHUB_TOKEN`` (when the workflow passes it), ``GITHUB_REPOSITORY``,
``GITHUB_API_URL`` (so a GitHub Enterprise Server is found as github.com is) and
``GITHUB_EVENT_PATH``, whose payload holds the pull request's number; ``--pr N`` overrides it.
GitLab CI sets ``CI_API_V4_URL``, ``CI_PROJECT_ID`` and ``CI_MERGE_REQUEST_IID``; its job token
cannot write notes, so the token is ``GITLAB_TOKEN``. What is missing is a ``PostSkipped`` that
says what to set, never an error: the review stands without its comments.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from framework import environment

DEFAULT_GITHUB_API = "https://api.github.com"
TARGETS = ("github", "gitlab")


class PostSkipped(Exception):
    """Nothing was posted, for a reason the console and the job summary say as it is."""


@dataclass(frozen=True)
class Target:
    """One pull request (GitHub) or merge request (GitLab) and the credentials to write to it."""

    kind: str  # "github" or "gitlab"
    api_url: str
    repository: str  # owner/name on GitHub; the project's id or path on GitLab
    number: int  # the pull request's number, the merge request's iid
    token: str = field(repr=False)

    @property
    def label(self) -> str:
        return f"{self.repository}#{self.number}" if self.kind == "github" else f"{self.repository}!{self.number}"


def from_environment(kind: str, number: int | None = None, env: Mapping[str, str] | None = None) -> Target:
    """The target of ``--post KIND``, from CI's variables (``number`` is --pr)."""
    import os

    env = os.environ if env is None else env
    if kind == "github":
        return _github(env, number)
    if kind == "gitlab":
        return _gitlab(env, number)
    raise PostSkipped(f"unknown target {kind!r} (expected one of: {', '.join(TARGETS)})")


def _github(env: Mapping[str, str], number: int | None) -> Target:
    repository = env.get(environment.GITHUB_REPOSITORY, "")
    if repository.count("/") != 1 or not all(repository.split("/")):
        raise PostSkipped(f"{environment.GITHUB_REPOSITORY} is not set to OWNER/NAME (GitHub Actions sets it)")
    number = number or _event_number(env.get(environment.GITHUB_EVENT_PATH))
    token = env.get(environment.GITHUB_TOKEN, "")
    if not token:
        raise PostSkipped(
            f"no {environment.GITHUB_TOKEN} in the environment "
            "(pass `GITHUB_TOKEN: ${{ github.token }}` to the step, with `pull-requests: write`)"
        )
    api_url = (env.get(environment.GITHUB_API_URL) or DEFAULT_GITHUB_API).rstrip("/")
    return Target("github", api_url, repository, number, token)


def _event_number(path: str | None) -> int:
    """The pull request's number from the Actions event payload."""
    if not path:
        raise PostSkipped(f"no pull request: {environment.GITHUB_EVENT_PATH} is not set; pass --pr N")
    try:
        with open(path, encoding="utf-8") as handle:
            event = json.load(handle)
    except (OSError, ValueError) as error:
        raise PostSkipped(f"no pull request: cannot read {environment.GITHUB_EVENT_PATH} ({error}); pass --pr N") from None
    pull = event.get("pull_request") if isinstance(event, dict) else None
    number = pull.get("number") if isinstance(pull, dict) else None
    if isinstance(number, int) and not isinstance(number, bool) and number > 0:
        return number
    raise PostSkipped("no pull request: this workflow's event is not a pull request's; pass --pr N")


def _gitlab(env: Mapping[str, str], number: int | None) -> Target:
    api_url = env.get(environment.CI_API_V4_URL, "").rstrip("/")
    project = env.get(environment.CI_PROJECT_ID, "")
    if not api_url or not project:
        raise PostSkipped(f"{environment.CI_API_V4_URL} and {environment.CI_PROJECT_ID} are not set (GitLab CI sets them)")
    if number is None:
        text = env.get(environment.CI_MERGE_REQUEST_IID, "")
        if not text.isdigit() or int(text) < 1:
            raise PostSkipped(f"no merge request: {environment.CI_MERGE_REQUEST_IID} is not set "
                              "(run in a merge request pipeline) ; pass --pr N")  # fmt: skip
        number = int(text)
    token = env.get(environment.GITLAB_TOKEN, "")
    if not token:
        raise PostSkipped(f"no {environment.GITLAB_TOKEN} in the environment (a project access token with the api "
                          "scope, as a masked CI/CD variable; the job token cannot write notes)")  # fmt: skip
    # python-gitlab takes the server's URL and adds /api/v4 itself.
    server = api_url.removesuffix("/api/v4")
    return Target("gitlab", server, project, number, token)
