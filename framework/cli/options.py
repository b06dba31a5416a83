"""What the commands share: their common options, one-line errors, and the exit codes."""

from __future__ import annotations

import functools
import sys

import click

from framework.cli.text import printable
from framework.errors import CodepanelError
from framework.findings import Finding, severity_rank
from framework.run.outcome import Status
from framework.run.summary import RunSummary

EXIT_FINDINGS = 1
EXIT_INCOMPLETE = 3
EXIT_INTERNAL = 4
# A run that failed as a whole raises its error (exit 2); any other status but ok is incomplete.
EXIT_CODES = {Status.OK: 0}


def friendly_errors(func):
    """One line and exit 2 for a CodepanelError; a traceback only with --debug."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return func(*args, **kwargs)
        except CodepanelError as error:
            if debug:
                raise
            click.echo(f"error: {printable(error)}", err=True)
            sys.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except OSError as error:  # the environment: a full disk, a read-only folder, a missing one
            if debug:
                raise
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"error: {where}{error.strerror or error}", err=True)
            sys.exit(2)
        except Exception as error:
            if debug:
                raise
            click.echo(f"error: unexpected {type(error).__name__}: {printable(error)} (run with --debug for details)", err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper


def split_names(ctx, param, values) -> list[str] | None:
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    return names or None


config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None,
    help="reviewers.yaml to use [default: $CODEPANEL_CONFIG, else the nearest one here or above, else the built-in panel]",
)  # fmt: skip
plugins_option = click.option(
    "--plugins-dir", type=click.Path(file_okay=False), default=None,
    help="Also load every plugin module in this folder.",
)  # fmt: skip
reviewers_option = click.option(
    "-r", "--reviewers", multiple=True, callback=split_names,
    help="Reviewers to run, comma-separated or repeated [default: every enabled one].",
)  # fmt: skip
workspace_option = click.option(
    "-w", "--workspace", type=click.Path(file_okay=False), default=None,
    help="Workspace folder [default: $CODEPANEL_WORKSPACE or ./.codepanel].",
)  # fmt: skip
model_option = click.option(
    "--model", default=None,
    help="Model for every reviewer: offline, bedrock:ID, anthropic:ID, openai:ID, ollama:ID.",
)  # fmt: skip
progress_option = click.option(
    "--progress/--no-progress", default=None, help="Live progress [default: when stderr is a terminal]."
)
cache_option = click.option(
    "--cache/--no-cache", default=True, show_default=True,
    help="Reuse the analyzers' results for files that did not change (kept in the workspace).",
)  # fmt: skip

post_option = click.option(
    "--post", type=click.Choice(["github", "gitlab"]), default=None,
    help="Post the review on the pull request CI names (GITHUB_* or CI_* variables): inline comments and a summary.",
)  # fmt: skip
pr_option = click.option(
    "--pr", "pr_number", type=click.IntRange(min=1), default=None,
    help="The pull (or merge) request to post on [default: from the CI environment].",
)  # fmt: skip


def announce_post(console, outcome) -> None:
    """The one line that says what posting did, or why it was skipped."""
    (console.warn if outcome.skipped else console.note)(outcome.line())


cloud_options = [
    click.option("--stack", default=None, help="Stack name [default: cloud.stack_name in reviewers.yaml]."),
    click.option("--region", default=None, help="AWS region [default: cloud.region, else your AWS config]."),
    click.option("--profile", default=None, help="AWS profile [default: cloud.profile, else your AWS config]."),
]


def with_cloud_options(func):
    for option in reversed(cloud_options):
        func = option(func)
    return func


def failing(findings: list[Finding], fail_on: str | None) -> list[Finding]:
    """The shown findings at or above ``fail_on``."""
    if fail_on is None:
        return []
    threshold = severity_rank(fail_on)
    return [f for f in findings if f.shown and severity_rank(f.severity) >= threshold]


def exit_code(summary: RunSummary, findings: list[Finding], fail_on: str | None) -> int:
    """1 when a shown finding reaches ``fail_on``, else 0 for a complete run and 3 for any other."""
    if failing(findings, fail_on):
        return EXIT_FINDINGS
    return EXIT_CODES.get(summary.status, EXIT_INCOMPLETE)
