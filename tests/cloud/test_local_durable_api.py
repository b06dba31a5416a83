"""`codepanel run`, `status` and the result reading against the real local durable-execution API.

The server is the testing package's own (`dex-local-runner start-server`), started here on
loopback; boto3 talks to it through `LocalLambda` (local_lambda.py), which runs the functions'
handlers in this process as Lambda runs their images. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3
import pytest
from botocore.config import Config as BotocoreConfig
from cloud_helpers import REPO
from local_lambda import ACCOUNT, LocalLambda, MountAsBucket

from framework import config as config_module
from framework.cloud import aws, remote
from tests.conftest import commit_all

STACK = "codepanel"
ORCHESTRATOR = f"{STACK}-orchestrator"
ORCHESTRATOR_ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{ORCHESTRATOR}:live"
REVIEWERS = ("security", "style", "raising", "sleepy")
PANEL = """version: 1
defaults:
  model: offline
reviewers:
  security: {plugin: security}
  style: {plugin: style}
  raising: {plugin: raising}
  sleepy: {plugin: sleepy, settings: {seconds: 6}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def offline_aws():
    """Credentials and a region that sign requests for loopback only."""
    saved = {key: os.environ.get(key) for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION",
                                                  "AWS_ENDPOINT_URL_LAMBDA", "AWS_EC2_METADATA_DISABLED")}  # fmt: skip
    os.environ.update({"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": "us-east-1",
                       "AWS_EC2_METADATA_DISABLED": "true"})  # fmt: skip
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module")
def dex_server(offline_aws, tmp_path_factory):
    """The local durable-execution API, as its own process; yields (its URL, the Lambda front's port)."""
    executable = Path(sys.executable).parent / "dex-local-runner"
    if not executable.exists():
        pytest.skip("dex-local-runner (aws-durable-execution-sdk-python-testing) is not installed")
    port, front_port = free_port(), free_port()
    configs = {f"{STACK}-r-{name}": {} for name in REVIEWERS}  # non-durable chained targets
    log = tmp_path_factory.mktemp("dex") / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(executable), "start-server", "--host", "127.0.0.1", "--port", str(port),
             "--lambda-endpoint", f"http://127.0.0.1:{front_port}", "--local-runner-endpoint", f"http://127.0.0.1:{port}",
             "--local-runner-region", "us-east-1", "--function-configs", json.dumps(configs), "--invocation-timeout", "60",
             "--log-level", "WARNING"],
            stdout=output, stderr=subprocess.STDOUT, env=os.environ.copy(),
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2):  # noqa: S310 - loopback only
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"dex-local-runner did not start: {log.read_text()[-2000:]}")
                time.sleep(0.2)
        yield url, front_port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def deployment(dex_server, tmp_path, monkeypatch):
    """A deployed stack as the handlers see it: its mount, its image's config and plugins, its environment."""
    url, front_port = dex_server
    from aws_durable_execution_sdk_python.lambda_service import LambdaClient

    mount = tmp_path / "mnt" / "workspace"
    image_config = tmp_path / "opt" / "reviewers.yaml"
    image_config.parent.mkdir(parents=True)
    image_config.write_text(PANEL)
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    shutil.copy(REPO / "tests" / "plugins" / "raising_reviewer.py", plugins)
    for name, value in {
        "CODEPANEL_WORKSPACE": str(mount), "CODEPANEL_CONFIG": str(image_config), "CODEPANEL_STACK": STACK,
        "CODEPANEL_FUNCTION_ARN_PREFIX": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:", "CODEPANEL_MAX_CONCURRENCY": "2",
        "CODEPANEL_PLUGINS_DIR": str(plugins),
        # The durable SDK inside the orchestrator checkpoints against the local API.
        "AWS_ENDPOINT_URL_LAMBDA": url,
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    monkeypatch.setattr(LambdaClient, "_cached_boto_client", None)

    with LocalLambda(url, ORCHESTRATOR, front_port) as front:
        client = boto3.client("lambda", endpoint_url=front.url, region_name="us-east-1",
                              config=BotocoreConfig(retries={"max_attempts": 0}))  # fmt: skip
        stack = aws.Stack(STACK, "CREATE_COMPLETE", {
            aws.OUTPUT_BUCKET: "workspace-bucket", aws.OUTPUT_PREFIX: "codepanel/", aws.OUTPUT_ORCHESTRATOR: ORCHESTRATOR_ARN,
        })  # fmt: skip
        yield front, client, stack, mount


@pytest.fixture
def origin(tmp_path) -> str:
    root = commit_all(tmp_path / "origin", {"app.py": "import hashlib\nimport os\n\nos.system(input())\nhashlib.md5(b'x')\n"})
    return f"file://{root}"


def review(deployment, reviewers):
    front, client, stack, mount = deployment
    return remote.RemoteReview(config_module.parse(PANEL), stack, client, MountAsBucket(mount, stack.prefix), reviewers)


def test_a_run_of_a_subset_of_reviewers_through_the_local_api(deployment, origin):
    front, client, stack, mount = deployment
    run = review(deployment, ["security", "style"])
    started = run.start(origin)
    assert started.execution_arn  # the ARN the local API gave, from the 202's header
    summary, findings = run.wait(started, timeout=120, poll_interval=0.2)
    assert (summary.run_id, summary.status) == (started.run_id, "ok")
    assert sorted(summary.reviewers) == ["security", "style"]
    security = sorted((f.rule_id, f.line) for f in findings if f.reviewer == "security")
    assert ("command-injection", 4) in security and ("weak-hash", 5) in security
    # Only the selected reviewers' functions ran, each by the name the template gives it.
    assert sorted(set(front.invoked) - {ORCHESTRATOR}) == [f"{STACK}-r-security", f"{STACK}-r-style"]
    # The orchestrator installed its image's config in the mount before the run.
    assert (mount / "config" / "reviewers.yaml").read_text() == PANEL
    # `codepanel status` reads the same execution back by the run id.
    status = remote.run_status(client, stack.orchestrator_arn, started.run_id)
    assert (status.run_id, status.status) == (started.run_id, "SUCCEEDED")
    assert [row.run_id for row in remote.list_runs(client, stack.orchestrator_arn)][:1] == [started.run_id]


def test_a_failing_reviewer_is_recorded_and_the_others_finish(deployment, origin):
    run = review(deployment, ["security", "raising"])
    summary, findings = run.wait(run.start(origin), timeout=120, poll_interval=0.2)
    assert summary.status == "incomplete"
    assert summary.reviewers["security"].status == "ok"
    assert summary.reviewers["raising"].status == "failed"
    assert "analyzer exploded" in (summary.reviewers["raising"].error or "")
    assert {f.reviewer for f in findings} == {"security"}


def test_a_run_past_its_execution_timeout_is_one_line_and_exit_status_3(deployment, origin):
    front, client, stack, mount = deployment
    front.execution_timeout = 2  # the orchestrator's DurableConfig.ExecutionTimeout
    run = review(deployment, ["sleepy"])
    started = run.start(origin)
    with pytest.raises(remote.RunFailed) as raised:
        run.wait(started, timeout=60, poll_interval=0.2)
    assert str(raised.value).startswith(f"run {started.run_id} timed out: the orchestrator's execution timeout passed")
    assert raised.value.exit_code == 3
    assert remote.run_status(client, stack.orchestrator_arn, started.run_id).status == "TIMED_OUT"


def test_status_and_runs_list_remote_commands_read_the_local_api(deployment, origin, monkeypatch):
    from click.testing import CliRunner

    from framework.cli.commands import cli

    run = review(deployment, ["style"])
    started = run.start(origin)
    run.wait(started, timeout=120, poll_interval=0.2)
    monkeypatch.setattr(remote.RemoteReview, "open", classmethod(lambda cls, *args, **kwargs: run))
    status = CliRunner().invoke(cli, ["status", started.run_id])
    assert status.exit_code == 0, status.output
    assert status.output.startswith(f"{started.run_id}  SUCCEEDED started ")
    listed = CliRunner().invoke(cli, ["runs", "list", "--remote", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert rows[0]["run_id"] == started.run_id and rows[0]["status"] == "SUCCEEDED"
    missing = CliRunner().invoke(cli, ["status", "20990101T000000Z-00000000"])
    assert missing.exit_code == 2
    assert "no run 20990101T000000Z-00000000 on this stack" in missing.output
