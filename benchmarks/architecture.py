"""How much of the framework a newcomer reads to follow a task: the modules, and the folders they sit in.

For each task the modules are those whose functions run (traced with ``sys.setprofile``) in this
process, the framework's own only (``framework`` and ``reviewers``), reviewer processes aside:

- ``local review``: `codepanel review` of a small repository, offline, both built-in reviewers;
- ``deploy``: `codepanel deploy` with SAM and AWS stood in by doubles (nothing leaves the machine);
- ``write a reviewer``: the modules a reviewer written from docs/plugins.md imports.

Run it on any checkout (it finds the framework next to itself): ``python benchmarks/architecture.py``.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLE = {
    "README.md": "# demo\n",
    "app/__init__.py": "",
    "app/views.py": "import os\nfrom flask import request\n\ndef run():\n    os.system(request.args['c'])\n",
    "app/util.py": "import sys\n\ndef f():\n    return undefined_name\n",
}


def _ours(name: str) -> bool:
    return name.split(".")[0] in ("framework", "reviewers") and not name.startswith("reviewers.security.")


def _framework(name: str) -> bool:
    return name.split(".")[0] == "framework"


# Where the work of a task happens: a framework function writing a file, starting a process, calling
# AWS or the durable runner, or calling a reviewer's analyzers or an aggregator.
WORK_BUILTINS = {os.replace}  # every file codepanel writes is written atomically, ending in os.replace
WORK_CALLS = {
    ("subprocess", "__init__"), ("pathlib", "write_text"), ("pathlib", "write_bytes"),
    ("botocore.client", "_make_api_call"), ("aws_durable_execution_sdk_python_testing.runner", "run_async"),
    ("__main__", "<lambda>"),  # the SAM runner the deploy is given
    ("framework.source", "add"), ("framework.source.snapshot", "add"),  # a file into the snapshot
}
WORK_HOOKS = {"analyze", "analyze_files", "aggregate_findings"}


@contextlib.contextmanager
def traced():
    """Yields (touched, spine): the framework modules whose functions ran, and those on the call
    stack wherever the task's work happens (what a reader follows from the command to the work)."""
    touched: set[str] = set()
    spine: set[str] = set()

    def on_stack(frame, why: str = "") -> None:
        while frame is not None:
            name = frame.f_globals.get("__name__", "")
            if _framework(name) and frame.f_code.co_name != "<module>":
                if name not in spine and "-vv" in sys.argv:
                    print(f"    {name} (on the way to {why})", file=sys.__stderr__)
                spine.add(name)
            frame = frame.f_back

    def profile(frame, event, arg):
        name = frame.f_globals.get("__name__", "")
        if event == "c_call":
            if arg in WORK_BUILTINS and _framework(name):
                on_stack(frame, f"{arg.__name__} in {name}.{frame.f_code.co_name}")
            return
        if event != "call" or frame.f_code.co_name == "<module>":  # importing is not following
            return
        if _ours(name):
            touched.add(name)
        caller = frame.f_back
        work = frame.f_code.co_name
        if (name, work) in WORK_CALLS and _framework(name):
            on_stack(frame, f"{name}.{work}")
        elif caller is not None and (
            (name, work) in WORK_CALLS
            or (work in WORK_HOOKS and name.startswith(("reviewers", "framework.aggregators.")))
        ):
            on_stack(caller, f"{name}.{work}")

    # NOTE: the durable runner runs the orchestrator in threads of its own: trace those too.
    sys.setprofile(profile)
    threading.setprofile(profile)
    try:
        yield touched, spine
    finally:
        sys.setprofile(None)
        threading.setprofile(None)


def local_review(tmp: Path) -> set[str]:
    from click.testing import CliRunner

    from framework.cli import cli

    repo = tmp / "repo"
    for name, text in SAMPLE.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    env = {"CODEPANEL_WORKSPACE": str(tmp / "ws"), "CODEPANEL_CONFIG": str(ROOT / "reviewers.yaml"), "NO_COLOR": "1"}
    # Each reviewer runs in a process of its own: run it in this one instead, so that its path is traced.
    try:
        from framework.run import local
        from framework.run.reviewer_handler import handler
    except ImportError:  # the flat layout before issue 10
        from framework.review import handler

        from framework import local
    local.ReviewerProcess.__call__ = lambda self, event, context=None: handler(event, context)
    with traced() as seen:
        result = CliRunner().invoke(cli, ["review", str(repo), "--no-progress"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return seen


def deploy(tmp: Path) -> set[str]:
    import boto3
    from botocore.stub import ANY, Stubber

    sam = tmp / "bin" / "sam"
    sam.parent.mkdir()
    sam.write_text("#!/bin/sh\nexit 0\n")
    sam.chmod(0o755)
    os.environ["PATH"] = f"{sam.parent}{os.pathsep}{os.environ['PATH']}"
    cloudformation = boto3.client("cloudformation", region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t")
    s3 = boto3.client("s3", region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t")
    outputs = [{"OutputKey": key, "OutputValue": value} for key, value in (
        ("WorkspaceBucketName", "bucket"), ("WorkspacePrefix", "codepanel/"),
        ("OrchestratorAliasArn", "arn:aws:lambda:us-east-1:123456789012:function:codepanel-orchestrator:live"))]
    stack = {"StackName": "codepanel", "StackStatus": "CREATE_COMPLETE", "CreationTime": "2026-01-01T00:00:00Z", "Outputs": outputs}

    class Session:
        def client(self, name):
            return {"cloudformation": cloudformation, "s3": s3}[name]

    project = tmp / "project"
    project.mkdir()
    (project / "reviewers.yaml").write_text((ROOT / "reviewers.yaml").read_text())
    (project / "Dockerfile").write_text("FROM scratch\n")
    try:
        from framework.cloud import deploy as deployment
    except ImportError:
        from framework import deploy as deployment
    with Stubber(cloudformation) as cf_stub, Stubber(s3) as s3_stub:
        cf_stub.add_response("describe_stacks", {"Stacks": [stack]}, {"StackName": "codepanel"})
        for _ in range(3):
            s3_stub.add_response("put_object", {}, {"Bucket": ANY, "Key": ANY, "Body": ANY, "Metadata": ANY, "ContentType": ANY})
        with traced() as seen, contextlib.redirect_stdout(io.StringIO()):
            deployment.deploy(str(project / "reviewers.yaml"), region="us-east-1", echo=lambda text: None,
                              runner=lambda command, **kwargs: subprocess.CompletedProcess(command, 0), session=Session())
    return seen


# What a plugin uses: the hook marker, the base class, findings, the tree, the errors it meets,
# and the aggregators' model session.
PLUGIN_NAMES = ("hookimpl", "Reviewer", "Finding", "SourceTree", "PathRefused", "ConfigError", "ModelSession")


def write_a_reviewer() -> set[str]:
    """The modules a plugin imports the names it uses from: ``framework`` when it has them, else their own."""
    import framework

    modules = set()
    for name in PLUGIN_NAMES:
        if name in getattr(framework, "__all__", ()):
            modules.add("framework")
            continue
        found = _defined_in(name)
        modules.add(found or f"(nowhere: {name})")
    return modules


def _defined_in(name: str) -> str | None:
    import importlib
    import pkgutil

    import framework

    for info in pkgutil.walk_packages(framework.__path__, "framework."):
        if info.name.endswith(("__main__", "testing")):
            continue
        value = getattr(importlib.import_module(info.name), name, None)
        if value is not None and getattr(value, "__module__", None) == info.name:
            return info.name
    return None


def _folders(modules: set[str]) -> set[str]:
    return {name.rsplit(".", 1)[0] if name.count(".") > 1 or name.startswith("reviewers") else "framework" for name in modules}


def _lines(modules: set[str]) -> int:
    import importlib

    return sum(len(Path(importlib.import_module(name).__file__).read_text().splitlines()) for name in modules)


def report(task: str, seen: tuple[set[str], set[str]] | set[str]) -> None:
    touched, spine = seen if isinstance(seen, tuple) else (seen, seen)
    print(f"{task:17} to follow: {len(spine):2} modules, {_lines(spine):5} lines, {len(_folders(spine))} folders; "
          f"touched: {len(touched):2} modules, {_lines(touched):5} lines")
    if "-v" in sys.argv:
        print("    follow: " + " ".join(sorted(spine)))
        print("    touched: " + " ".join(sorted(touched)))


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        (tmp / "a").mkdir()
        (tmp / "b").mkdir()
        report("write a reviewer", write_a_reviewer())
        report("local review", local_review(tmp / "a"))
        report("deploy", deploy(tmp / "b"))


if __name__ == "__main__":
    main()
