"""`codepanel runs`: list, show, resume and prune the runs a workspace holds."""

from __future__ import annotations

import json

import click

from framework.cli.flow import finish, follow
from framework.cli.options import (
    config_option,
    friendly_errors,
    progress_option,
    with_cloud_options,
    workspace_option,
)
from framework.errors import CodepanelError
from framework.findings import SEVERITIES


@click.group(name="runs")
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
