"""The commands for the deployed stack: `generate`, `deploy`, `run` and `status`."""

from __future__ import annotations

import sys

import click

from framework.cli.flow import finish
from framework.cli.options import (
    EXIT_INCOMPLETE,
    config_option,
    friendly_errors,
    reviewers_option,
    with_cloud_options,
)
from framework.errors import CodepanelError
from framework.findings import SEVERITIES
from framework.run.outcome import Status


@click.command()
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


@click.command()
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


@click.command(name="run")
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


@click.command(name="status")
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
