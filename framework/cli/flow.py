"""A local review from the command line: check its output path, run it with progress, exit with its code."""

from __future__ import annotations

import sys
from pathlib import Path

from framework.cli.options import EXIT_FINDINGS, exit_code, failing
from framework.errors import CodepanelError


def check_output(output: str | None) -> None:
    """An -o into a folder that does not exist is an error before the review, not after it."""
    folder = Path(output).absolute().parent if output else None
    if folder is not None and not folder.is_dir():
        raise CodepanelError(f"-o {output}: no such directory: {folder}")


def finish(console, summary, findings, fail_on: str | None) -> None:
    """Exit with the run's code, saying which findings met --fail-on when they did."""
    code = exit_code(summary, findings, fail_on)
    if code == EXIT_FINDINGS:
        console.fail_on(fail_on, failing(findings, fail_on))
    sys.exit(code)


def run_panel(request, workspace, config_path, plugins_dir, progress):
    """Run a local review with live progress; returns the console, the summary, the run and its findings."""
    from framework.cli.console import Console
    from framework.run.local import LocalReview

    console = Console()
    review = LocalReview.prepare(request, config_path, plugins_dir, workspace)
    for problem in review.panel.plugins.problems:
        console.warn(problem)
    if review.offline:
        console.note(
            "Reviewing offline: analyzers only. Add a model with --model (e.g. bedrock:MODEL_ID) "
            "or `model:` in reviewers.yaml."
        )
    return follow(console, review, progress)


def follow(console, review, progress):
    """Run or resume ``review`` with live progress; returns the console, the summary, the run and its findings."""
    from framework.run import history

    if not review.resuming and (waiting := history.interrupted(review.workspace)):
        console.note(f"{len(waiting)} interrupted run(s) in the workspace, the latest {waiting[-1]}: "
                     "`codepanel runs resume RUN_ID` continues one.")  # fmt: skip
    with console.progress([entry.name for entry in review.selected], enabled=progress) as show:
        summary, run, findings = review.run(show, on_start=lambda run: console.note(f"Run {run.id}"))
    if review.reused:
        console.note(f"Unchanged since run {review.reused}: its results stand (--no-cache reviews again)")
    for problem in summary.plugin_problems or []:
        if problem not in review.panel.plugins.problems:  # met by a reviewer's own process
            console.warn(problem)
    if review.pruned.runs:
        console.note(f"Pruned {len(review.pruned.runs)} old runs from the workspace (retention in reviewers.yaml)")
    return console, summary, run, findings
