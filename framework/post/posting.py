"""Post a finished run on its pull request: read the run, ask the platform, plan, write.

Posting only reads the run (its summary, findings and snapshot): the workspace's results stay as
the review wrote them, and nothing here changes the exit code the review earned. When it cannot
post (no token, a forbidden request, a rate limit that holds) it says why in the outcome, and in
GitHub's job summary when there is one, and carries on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from framework import environment
from framework.errors import CodepanelError
from framework.post import comments
from framework.post.limits import Limits
from framework.post.outcome import PostFailed, PostOutcome
from framework.post.plan import Plan, make
from framework.post.target import PostSkipped, Target, from_environment
from framework.run.finish import load_findings
from framework.run.request import RunRequest
from framework.run.summary import RunSummary
from framework.run.workspace import Run


def connect(target: Target, limits: Limits):
    """The poster of a target's platform (its client library imported only now)."""
    try:
        if target.kind == "github":
            from framework.post.github import GitHubPoster

            return GitHubPoster(target, limits)
        from framework.post.gitlab import GitLabPoster

        return GitLabPoster(target, limits)
    except ImportError as error:
        package = {"github": "PyGithub", "gitlab": "python-gitlab"}.get(error.name or "", error.name)
        raise PostSkipped(f"{package} is not installed: pip install 'codepanel[post]'") from None


def post_run(
    run: Run,
    kind: str,
    number: int | None = None,
    env: Mapping[str, str] | None = None,
    limits: Limits | None = None,
    poster_factory: Callable[[Target, Limits], object] = connect,
) -> PostOutcome:
    """Post ``run`` to the pull request the environment names (``number`` overrides it)."""
    env = os.environ if env is None else env
    limits = limits or Limits()
    if not run.summary_path.exists():
        raise CodepanelError(f"run {run.id} has not finished (no summary in {run.dir})")
    summary = RunSummary.read(run.summary_path)
    findings = load_findings(run)
    outcome = PostOutcome(target=kind)
    try:
        target = from_environment(kind, number, env)
        outcome.target = target.label
        poster = poster_factory(target, limits)
        _post(poster, run, summary, findings, limits, outcome)
    except PostSkipped as skip:
        outcome.skipped = str(skip)
    if outcome.skipped:
        _tell_job_summary(env, run, outcome)
    return outcome


def _post(poster, run: Run, summary: RunSummary, findings, limits: Limits, outcome: PostOutcome) -> None:
    fork = None
    try:
        pull = poster.open()
        fork = pull.fork
        files = poster.files()
        posted, existing = poster.posted()
    except PostFailed as failure:
        outcome.skipped = _with_fork(str(failure), fork)
        return
    plan = make(summary, findings, files, posted, _reader(run), limits, _prefix(run), poster.flavour)
    outcome.already, outcome.off_diff, outcome.over_limit = plan.already, plan.off_diff, plan.over_limit
    problem = None
    try:
        if plan.new:
            poster.review(pull.head, _review_body(plan), plan.new)
            outcome.posted, outcome.suggestions = len(plan.new), plan.suggestions
        for mark in plan.marks:
            poster.mark(mark)
            outcome.marked += 1
    except PostFailed as failure:
        problem = _with_fork(str(failure), fork)
    body = comments.summary(summary, findings, _posting_lines(plan, outcome, summary, limits, problem),
                            limits.max_comment_chars)  # fmt: skip
    try:
        outcome.summary = poster.put_summary(existing, body)
    except PostFailed as failure:
        problem = problem or _with_fork(str(failure), fork)
    outcome.skipped = problem


def _posting_lines(plan: Plan, outcome: PostOutcome, summary: RunSummary, limits: Limits, problem: str | None) -> list[str]:
    commit = f" (commit `{summary.commit[:12]}`)" if summary.commit else ""
    fixes = f" ({outcome.suggestions} with a suggested fix)" if outcome.suggestions else ""
    lines = [(f"**On this pull request**{commit}: {outcome.posted} new inline comments{fixes}, "
             f"{outcome.already} already commented, {outcome.marked} marked fixed.")]  # fmt: skip
    if plan.off_diff:
        lines.append(f"{plan.off_diff} findings are not on lines this pull request adds: they are in this report only.")
    if plan.over_limit:
        lines.append(f"{plan.over_limit} more findings on changed lines were not commented inline: at most "
                     f"{limits.max_inline} inline comments per review (the next run posts more).")  # fmt: skip
    if plan.marks_left:
        lines.append(f"{plan.marks_left} comments on fixed findings are left for the next run to mark.")
    if problem:
        lines += ["", "> [!WARNING]", f"> Posting stopped: {comments.plain(problem)}"]
    return lines


def _review_body(plan: Plan) -> str:
    return (f"codepanel: {len(plan.new)} findings on lines this pull request changes. "
            "The summary comment has the whole review.")  # fmt: skip


def _with_fork(reason: str, fork: str | None) -> str:
    return f"this pull request comes from the fork {fork}: {reason}" if fork and "403" in reason else reason


def _reader(run: Run) -> Callable[[str], list[str]]:
    from framework.tree import SourceTree

    tree = SourceTree(run.source_dir, [])

    def read(path: str) -> list[str]:
        try:
            return tree.read_text(path).splitlines()
        except Exception:  # noqa: BLE001 - no suggestion for a file we cannot read
            return []

    return read


def _prefix(run: Run) -> str:
    """Where the reviewed folder sits in its git checkout ("" at the root), for the pull request's paths."""
    try:
        request = RunRequest.model_validate_json(run.request_path.read_text(encoding="utf-8"))
        folder = Path(request.repository)
        if not folder.is_dir():
            return ""
        import git

        with git.Repo(folder, search_parent_directories=True) as repo:
            inside = folder.resolve().relative_to(Path(repo.working_tree_dir).resolve()).as_posix()
    except Exception:  # noqa: BLE001 - a git URL, a moved checkout: paths as they are
        return ""
    return "" if inside in ("", ".") else inside.rstrip("/") + "/"


def _tell_job_summary(env: Mapping[str, str], run: Run, outcome: PostOutcome) -> None:
    """In GitHub Actions, the job's summary page says posting was skipped, and shows the report."""
    path = env.get(environment.GITHUB_STEP_SUMMARY)
    if not path:
        return
    report = run.dir / "report.md"
    text = f"### codepanel\n\n{outcome.line()}\n\n"
    if report.exists() and not outcome.summary:
        text += report.read_text(encoding="utf-8") + "\n"
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError:
        pass
