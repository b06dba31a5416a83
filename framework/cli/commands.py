"""The `codepanel` command. Thin: it parses, calls the library, prints."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from framework import __version__
from framework.cli.options import (
    EXIT_FINDINGS,
    EXIT_INCOMPLETE,
    announce_post,
    cache_option,
    config_option,
    exit_code,
    failing,
    friendly_errors,
    model_option,
    plugins_option,
    post_option,
    pr_option,
    progress_option,
    reviewers_option,
    with_cloud_options,
    workspace_option,
)
from framework.cli.text import printable
from framework.errors import CodepanelError
from framework.findings import SEVERITIES
from framework.run.outcome import Status
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


@cli.command()
@config_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Where to write it [default: template.yaml in the project].")
@friendly_errors
def generate(config_path, output):
    """Write the SAM template, and the functions' image build context, from the project's reviewers.yaml."""
    from framework.cloud import template

    generated = template.generate(config_path, output)
    for warning in generated.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"Wrote {generated.template}")
    click.echo(f"The image's build context is in {generated.build.root} ({len(generated.build.files)} files)")


@cli.command()
@config_option
@with_cloud_options
@click.option("--guided", is_flag=True, help="Let `sam deploy --guided` ask for the settings.")
@click.option("--dry-run", is_flag=True,
              help="Assemble the image's build context and the template, check them, and stop: no SAM, Docker or AWS.")
@friendly_errors
def deploy(config_path, stack, region, profile, guided, dry_run):
    """Build and push the functions' one image, then deploy the stack with SAM."""
    from framework.cloud import deploy as deployment

    deployed = deployment.deploy(config_path, stack, region, profile, guided, echo=click.echo, dry_run=dry_run)
    for key, value in (deployed.outputs if deployed else {}).items():
        click.echo(f"{key}: {value}")


@cli.command(name="run")
@click.argument("url")
@reviewers_option
@config_option
@with_cloud_options
@click.option("--wait/--no-wait", default=False, help="Follow the run to its end and show its findings.")
@click.option("--timeout", type=click.IntRange(min=1), default=None, help="Stop waiting after this many seconds.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="With --wait: exit 1 when a finding at or above this severity exists.")
@friendly_errors
def run_remote(url, reviewers, config_path, stack, region, profile, wait, timeout, fail_on):
    """Start a review of URL on the deployed stack and print its run id."""
    from framework.cli.console import Console
    from framework.cloud.remote import RemoteReview

    console = Console()
    remote = RemoteReview.open(config_path, reviewers, stack, region, profile)
    started = remote.start(url)
    click.echo(started.run_id)
    console.note(f"Results will be in {remote.stack.location(f'runs/{started.run_id}/')}")
    if not wait:
        return
    summary, findings = remote.wait(started, timeout)
    if summary.status == Status.FAILED and summary.error:
        raise CodepanelError(summary.error)
    for problem in summary.plugin_problems or []:
        console.warn(problem)
    console.findings_table(summary, findings)
    finish(console, summary, findings, fail_on)


@cli.command(name="status")
@click.argument("run_id")
@config_option
@with_cloud_options
@friendly_errors
def remote_status(run_id, config_path, stack, region, profile):
    """The state of run RUN_ID on the deployed stack: running, succeeded, failed or timed out."""
    from framework.cloud.remote import RemoteReview, run_status

    remote = RemoteReview.open(config_path, None, stack, region, profile)
    status = run_status(remote.lambda_client, remote.stack.orchestrator_arn, run_id)
    click.echo(status.line())
    if status.status in ("FAILED", "TIMED_OUT", "STOPPED"):
        sys.exit(EXIT_INCOMPLETE)


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


@cli.group(name="runs")
def runs_group() -> None:
    """List, show, resume and prune the runs the workspace holds."""


@runs_group.command(name="list")
@workspace_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--remote", is_flag=True, help="The deployed stack's runs (its durable executions), newest first.")
@config_option
@with_cloud_options
@friendly_errors
def list_runs(workspace, as_json, remote, config_path, stack, region, profile):
    """Every run in the workspace, oldest first: its status, repository and findings."""
    from framework.cli.console import Console
    from framework.run import history
    from framework.run.workspace import Workspace

    if remote:
        from framework.cloud import remote as cloud_remote

        review = cloud_remote.RemoteReview.open(config_path, None, stack, region, profile)
        runs = cloud_remote.list_runs(review.lambda_client, review.stack.orchestrator_arn)
        if as_json:
            click.echo(json.dumps([{"run_id": r.run_id, "status": r.status, "started": str(r.started or ""),
                                    "ended": str(r.ended or "")} for r in runs], indent=2))  # fmt: skip
        for run in [] if as_json else runs:
            click.echo(run.line())
        return

    rows = [history.row(info) for info in history.list_runs(Workspace(workspace))]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    else:
        Console().runs_table(rows)


@runs_group.command(name="show")
@click.argument("run_id")
@workspace_option
@click.option("--all", "show_all", is_flag=True, help="List every finding, not the digest.")
@friendly_errors
def show_run(run_id, workspace, show_all):
    """The findings and reviewer statuses of run RUN_ID."""
    from framework.cli.console import Console
    from framework.run.finish import load_findings
    from framework.run.summary import RunSummary
    from framework.run.workspace import Workspace

    run = Workspace(workspace).run(run_id)
    if not run.summary_path.exists():
        from framework.run import checkpoints

        hint = "; `codepanel runs resume RUN_ID` continues it" if checkpoints.state(run) == "interrupted" else ""
        raise CodepanelError(f"run {run_id} has not finished (no summary in {run.dir}){hint}")
    console = Console()
    console.findings_table(RunSummary.read(run.summary_path), load_findings(run), show_all=show_all)
    console.note(f"Results in {run.dir}")


@runs_group.command(name="resume")
@click.argument("run_id")
@workspace_option
@progress_option
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Exit 1 when a finding at or above this severity exists.")
@click.option("--all", "show_all", is_flag=True, help="List every finding, not the digest.")
@friendly_errors
def resume_run(run_id, workspace, progress, fail_on, show_all):
    """Continue the interrupted run RUN_ID: reviewers that finished are not run again."""
    from framework.cli.console import Console
    from framework.run.local import LocalReview

    console = Console()
    console.note(f"Resuming run {run_id}")
    console, summary, run, findings = follow(console, LocalReview.resume(run_id, workspace), progress)
    console.findings_table(summary, findings, show_all=show_all)
    console.note(f"Results in {run.dir}")
    finish(console, summary, findings, fail_on)


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


@runs_group.command(name="prune")
@workspace_option
@config_option
@click.option("--keep", type=click.IntRange(min=0), default=None, help="Finished runs to keep [default: retention.max_runs].")
@click.option("--older-than", "days", type=click.IntRange(min=1), default=None,
              help="Delete runs older than this many days [default: retention.max_age_days].")
@click.option("--dry-run", is_flag=True, help="Say what would be deleted, and delete nothing.")
@friendly_errors
def prune_runs(workspace, config_path, keep, days, dry_run):
    """Delete old runs, and the snapshot files no run uses any more."""
    from framework.config import Project, load
    from framework.run import history
    from framework.run.workspace import Workspace

    retention = load(Project.find(config_path).config_file).retention
    retention = retention.model_copy(update={key: value for key, value in
                                             (("max_runs", keep), ("max_age_days", days)) if value is not None})  # fmt: skip
    pruned = history.prune(Workspace(workspace), retention, dry_run=dry_run)
    verb = "Would delete" if dry_run else "Deleted"
    click.echo(f"{verb} {len(pruned.runs)} runs{': ' + ', '.join(pruned.runs) if pruned.runs else ''}")
    if not dry_run:
        click.echo(f"Freed {pruned.bytes_freed / 1e6:.1f} MB ({pruned.store_files} snapshot files no run used)")


def main() -> None:
    cli(prog_name="codepanel")
