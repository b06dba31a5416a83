"""The `codepanel` command. Thin: it parses, calls the library, prints."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from framework import __version__
from framework.cli import cloud, runs
from framework.cli.flow import check_output, finish, run_panel
from framework.cli.options import (
    EXIT_INCOMPLETE,
    announce_post,
    cache_option,
    config_option,
    friendly_errors,
    model_option,
    plugins_option,
    post_option,
    pr_option,
    progress_option,
    reviewers_option,
    workspace_option,
)
from framework.cli.text import printable
from framework.findings import SEVERITIES
from framework.run.request import DEFAULT_MIN_CONFIDENCE

REPORT_FILES = {"markdown": "report.md", "sarif": "report.sarif", "html": "report.html"}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="codepanel")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
def cli(debug: bool) -> None:
    """A panel of code reviewers that share one workspace."""


@cli.command()
@click.argument("target")
@reviewers_option
@workspace_option
@config_option
@plugins_option
@model_option
@click.option("-f", "--format", "output_format", type=click.Choice(["table", "json", "markdown", "sarif", "html"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write the report to this file instead of stdout.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Exit 1 when a finding at or above this severity exists.")
@progress_option
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), default=None,
              help="Report only findings absent from this baseline (see `codepanel baseline create`).")
@click.option("--diff", "diff_base", metavar="BASE_REF", default=None,
              help="Review only the files changed since BASE_REF (TARGET must be a git checkout); "
                   "report only findings on changed lines.")
@click.option("--diff-whole-files", is_flag=True, help="With --diff: report every finding in the changed files.")
@cache_option
@click.option("--all", "show_all", is_flag=True, help="List every finding in the terminal, not the digest.")
@click.option("--min-confidence", type=click.Choice(["high", "medium", "low"]), default=DEFAULT_MIN_CONFIDENCE,
              show_default=True, help="Leave less sure findings out of the reports and --fail-on (findings.json keeps them).")
@post_option
@pr_option
@friendly_errors
def review(target, reviewers, workspace, config_path, plugins_dir, model, output_format, output, fail_on, progress,
           baseline_file, diff_base, diff_whole_files, cache, show_all, min_confidence, post, pr_number):
    """Review TARGET (a directory or a git URL) with the panel."""
    from framework.cli.console import render_text
    from framework.reports import writer
    from framework.run.request import local_request
    from framework.run.workspace import write_atomic

    check_output(output)
    request = local_request(target, reviewers, model, diff_base, diff_whole_files, baseline_file, cache, min_confidence)
    console, summary, run, findings = run_panel(request, workspace, config_path, plugins_dir, progress)
    if output_format == "json":
        text = writer.as_json(summary, findings)
    elif output_format in REPORT_FILES:
        text = (run.dir / REPORT_FILES[output_format]).read_text(encoding="utf-8")
    else:
        text = render_text(summary, findings) if output else None
    if output:
        write_atomic(Path(output), text, mode=0o644)  # never half a report, even on a full disk
        console.note(f"Report written to {output}")
    elif text is not None:
        click.echo(printable(text, lines=True))  # in JSON, each escape reads back as the character
    else:
        console.findings_table(summary, findings, show_all=show_all)
    console.note(f"Results in {run.dir}")
    if post:
        from framework.post import post_run

        announce_post(console, post_run(run, post, pr_number))
    finish(console, summary, findings, fail_on)


@cli.group(name="reviewers")
def reviewers_group() -> None:
    """List reviewers, or scaffold a new one."""


@reviewers_group.command(name="list")
@config_option
@plugins_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@friendly_errors
def list_reviewers(config_path, plugins_dir, as_json):
    """Declared and registered reviewers: name, description, origin, enabled."""
    from framework.cli.console import Console
    from framework.panel import Panel

    console = Console()
    panel = Panel.load(config_path, plugins_dir)
    for problem in panel.plugins.problems:
        console.warn(problem)
    if as_json:
        click.echo(json.dumps(panel.rows(), indent=2))
    else:
        console.reviewers_table(panel.rows())


@reviewers_group.command(name="new")
@click.argument("name")
@config_option
@click.option("--dir", "directory", type=click.Path(file_okay=False), default=None,
              help="Folder for the module [default: the project's reviewers/ folder].")
@click.option("--description", default=None, help="One-line description for reviewers.yaml.")
@friendly_errors
def new_reviewer(name, config_path, directory, description):
    """Scaffold reviewer NAME in the project: a working module and its reviewers.yaml entry."""
    from framework.cli.scaffold import new_reviewer as scaffold
    from framework.config import Project

    made = scaffold(name, Project.find(config_path), Path(directory) if directory else None, description)
    click.echo(f"Created {made.module}")
    click.echo(f"Declared reviewers.{name} in {made.config_file}")
    hint = "" if made.in_project_plugins else f" --plugins-dir {made.module.parent}"
    click.echo(f"Run it: codepanel review PATH --reviewers {name}{hint}")


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False), default=".")
@friendly_errors
def init(directory):
    """Make DIRECTORY (default: this one) a panel project: reviewers.yaml, reviewers/, ignore entries."""
    from framework.cli.scaffold import init_project

    for line in init_project(Path(directory)):
        click.echo(line)


@cli.group(name="baseline")
def baseline_group() -> None:
    """Record the findings a project has today, so that reviews report only new ones."""


@baseline_group.command(name="create")
@click.argument("target")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=".codepanel-baseline.json",
              show_default=True, help="The baseline file to write.")
@reviewers_option
@workspace_option
@config_option
@plugins_option
@model_option
@progress_option
@cache_option
@friendly_errors
def create_baseline(target, output, reviewers, workspace, config_path, plugins_dir, model, progress, cache):
    """Review TARGET and write the fingerprints of what it finds to a baseline file."""
    from framework.run.request import local_request
    from framework.triage import baseline

    check_output(output)
    request = local_request(target, reviewers, model, cache=cache)
    console, summary, _run, findings = run_panel(request, workspace, config_path, plugins_dir, progress)
    count = baseline.write(output, summary, findings)
    click.echo(f"Baseline of {count} findings written to {output}")
    if not summary.complete:
        console.warn(f"the review is {summary.status}: the baseline lacks what the failed reviewers would find")
        sys.exit(EXIT_INCOMPLETE)


@cli.command(name="post")
@click.argument("run_id")
@click.option("--to", "kind", type=click.Choice(["github", "gitlab"]), required=True, help="Where to post.")
@pr_option
@workspace_option
@friendly_errors
def post_review(run_id, kind, pr_number, workspace):
    """Post finished run RUN_ID on its pull request: inline comments on changed lines, one summary."""
    from framework.cli.console import Console
    from framework.post import post_run
    from framework.run.workspace import Workspace

    announce_post(Console(), post_run(Workspace(workspace).run(run_id), kind, pr_number))


for command in (cloud.generate, cloud.deploy, cloud.run_remote, cloud.remote_status, runs.runs_group):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="codepanel")
