"""The `codepanel` command. Thin: it parses, calls the library, prints."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from framework import __version__
from framework.errors import CodepanelError
from framework.findings import SEVERITIES, severity_rank

EXIT_FINDINGS = 1
EXIT_INCOMPLETE = 3
EXIT_INTERNAL = 4


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
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except Exception as error:
            if debug:
                raise
            click.echo(f"error: unexpected {type(error).__name__}: {error} (run with --debug for details)", err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper


def split_names(ctx, param, values) -> list[str] | None:
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    return names or None


config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None,
    help="reviewers.yaml to use [default: $CODEPANEL_CONFIG, ./reviewers.yaml, the packaged one]",
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
@friendly_errors
def review(target, reviewers, workspace, config_path, plugins_dir, model, output_format, output, fail_on, progress,
           baseline_file, diff_base, diff_whole_files, cache):
    """Review TARGET (a directory or a git URL) with the panel."""
    from framework.cli.console import render_text
    from framework.reports import writer
    from framework.run.request import request_options

    options = request_options(target, diff_base, diff_whole_files, baseline_file, cache)
    console, result, run, findings = run_panel(
        target, reviewers, workspace, config_path, plugins_dir, model, progress, options
    )
    if output_format == "json":
        text = writer.as_json(result, findings)
    elif output_format in REPORT_FILES:
        text = (run.dir / REPORT_FILES[output_format]).read_text(encoding="utf-8")
    else:
        text = render_text(result, findings) if output else None
    if output:
        Path(output).write_text(text, encoding="utf-8")
        console.note(f"Report written to {output}")
    elif text is not None:
        click.echo(text)
    else:
        console.findings_table(result, findings)
    console.note(f"Results in {run.dir}")
    sys.exit(exit_code(result, findings, fail_on))


def run_panel(target, reviewers, workspace, config_path, plugins_dir, model, progress, options):
    """Run a local review with live progress; returns the console, the summary, the run and its findings."""
    from framework.cli.console import Console
    from framework.panel import Panel
    from framework.run import finish as summary
    from framework.run import local
    from framework.run.workspace import Workspace

    console = Console()
    panel = Panel.load(config_path, plugins_dir)
    for problem in panel.plugins.problems:
        console.warn(problem)
    selected = panel.config.with_model(model).select(reviewers)
    if all(entry.model.offline for entry in selected):
        console.note(
            "Reviewing offline: analyzers only. Add a model with --model (e.g. bedrock:MODEL_ID) "
            "or `model:` in reviewers.yaml."
        )
    with console.progress([entry.name for entry in selected], enabled=progress) as show:
        result = local.run_review(
            target, panel.config, panel.config_text, Workspace(workspace), reviewers=reviewers,
            model=model, plugins_dir=plugins_dir, on_progress=show, options=options,
        )  # fmt: skip
    if result["status"] == "failed" and result.get("error"):
        raise CodepanelError(result["error"])
    run = Workspace(workspace).run(result["run_id"])
    return console, result, run, summary.load_findings(run)


def exit_code(result: dict, findings, fail_on: str | None) -> int:
    if fail_on is not None:
        threshold = severity_rank(fail_on)
        if any(f.shown and severity_rank(f.severity) >= threshold for f in findings):
            return EXIT_FINDINGS
    if result["status"] != "ok":
        return EXIT_INCOMPLETE
    return 0


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
              help="Folder for the module [default: the reviewers/ package next to reviewers.yaml].")
@click.option("--description", default=None, help="One-line description for reviewers.yaml.")
@friendly_errors
def new_reviewer(name, config_path, directory, description):
    """Scaffold reviewer NAME: a working module and its reviewers.yaml entry."""
    from framework import config as config_module
    from framework.cli.scaffold import new_reviewer as scaffold

    config_file = config_module.find_config_file(config_path)
    module, config_file = scaffold(name, config_file, Path(directory) if directory else None, description)
    click.echo(f"Created {module}")
    click.echo(f"Declared reviewers.{name} in {config_file}")
    hint = f" --plugins-dir {directory}" if directory else ""
    click.echo(f"Run it: codepanel review PATH --reviewers {name}{hint}")


cloud_options = [
    click.option("--stack", default=None, help="Stack name [default: cloud.stack_name in reviewers.yaml]."),
    click.option("--region", default=None, help="AWS region [default: cloud.region, else your AWS config]."),
    click.option("--profile", default=None, help="AWS profile [default: cloud.profile, else your AWS config]."),
]


def with_cloud_options(func):
    for option in reversed(cloud_options):
        func = option(func)
    return func


@cli.command()
@config_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Where to write it [default: template.yaml next to the Dockerfile].")
@friendly_errors
def generate(config_path, output):
    """Render the SAM template from the reviewers declared in reviewers.yaml."""
    from framework.cloud import template

    written, problems = template.generate(config_path, output)
    for problem in problems:
        click.echo(f"warning: {problem}", err=True)
    click.echo(f"Wrote {written}")


@cli.command()
@config_option
@with_cloud_options
@click.option("--guided", is_flag=True, help="Let `sam deploy --guided` ask for the settings.")
@friendly_errors
def deploy(config_path, stack, region, profile, guided):
    """Build and deploy the stack with SAM, then publish reviewers.yaml to its workspace."""
    from framework.cloud import deploy as deployment

    deployed = deployment.deploy(config_path, stack, region, profile, guided, echo=click.echo)
    for key, value in deployed.outputs.items():
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
    if summary["status"] == "failed" and summary.get("error"):
        raise CodepanelError(summary["error"])
    console.findings_table(summary, findings)
    sys.exit(exit_code(summary, findings, fail_on))


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
    from framework.triage import baseline

    console, result, _run, findings = run_panel(
        target, reviewers, workspace, config_path, plugins_dir, model, progress, {"cache": cache}
    )
    count = baseline.write(output, result, findings)
    click.echo(f"Baseline of {count} findings written to {output}")
    if result["status"] != "ok":
        console.warn(f"the review is {result['status']}: the baseline lacks what the failed reviewers would find")
        sys.exit(EXIT_INCOMPLETE)


def main() -> None:
    cli(prog_name="codepanel")
