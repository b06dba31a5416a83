"""End to end over the wire: `codepanel review --model openai:...` against a loopback OpenAI-compatible server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openai_server import ChatServer, message_text, tool_names

API_KEY = "sk-loopback-test"
SOURCE = """import os
import pickle
from flask import request

def run(command):
    os.system(command)


def load():
    return pickle.loads(request.get_data())


def handler():
    return run(request.args["cmd"])
"""
CONFIG = """version: 1
defaults:
  model: offline
  timeout: 120
  limits: {max_turns: 6, max_tokens: 50000, max_files_read: 10}
pricing:
  "openai:some-model": {input: 1.0, output: 2.0}
reviewers:
  security:
    plugin: security
    agent: {verify: true, min_confidence: 0.6}
  style:
    plugin: style
"""
REVIEW = {
    "verdicts": [
        {"id": "F1", "verdict": "confirmed", "reason": "handler() passes request data to run()"},
        {"id": "F2", "verdict": "rejected", "reason": "load() is never given untrusted data"},
    ],
    "findings": [
        {"rule_id": "missing-auth", "message": "handler() runs commands without authentication",
         "file": "app.py", "line": 13, "severity": "medium", "confidence": "low"},
    ],
    "summary": "Read app.py.",
}


COUNTING_PLUGIN = """
from framework import hookimpl


@hookimpl
def aggregate_findings(findings, summary):
    summary.counted_by_plugin = {"findings": len(findings), "standing": sum(not f.hidden for f in findings)}
"""


def script(request: dict) -> dict:
    """What the model says: it depends only on the request, as reviewers run in parallel."""
    tools = tool_names(request)
    user = message_text(next(m for m in request["messages"] if m["role"] == "user"))
    if "ReviewResult" in tools:
        if not any(message["role"] == "tool" for message in request["messages"]):
            return {"tool": "read_file", "arguments": {"path": "app.py"}}
        return {"tool": "ReviewResult", "arguments": REVIEW}
    if "VerificationResult" in tools:
        claim = json.loads(user.split("\n")[2])
        confidence = 0.9 if claim["rule_id"] == "command-injection" else 0.2
        return {"tool": "VerificationResult", "arguments": {"confidence": confidence, "reason": "from the code"}}
    if "Scores" in tools:
        ids = re.findall(r'"id": "(F\d+)"', user)
        return {"tool": "Scores", "arguments": {"scores": [{"id": i, "score": 9.5, "reason": "reachable"} for i in ids]}}
    if "ExecutiveSummary" in tools:
        return {"tool": "ExecutiveSummary", "arguments": {"text": "Fix the shell injection in run() first."}}
    return {"text": "I cannot help with that."}


def review(tmp_path: Path, server: ChatServer, api_key: str) -> tuple[subprocess.CompletedProcess, Path]:
    source = tmp_path / "repo"
    source.mkdir()
    (source / "app.py").write_text(SOURCE)
    (source / "README.md").write_text("# app\n")
    (source / "test_app.py").write_text("def test_nothing():\n    assert True\n")
    config = tmp_path / "reviewers.yaml"
    config.write_text(CONFIG)
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "counting.py").write_text(COUNTING_PLUGIN)
    workspace = tmp_path / "ws"
    env = {**os.environ, "OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": api_key, "NO_COLOR": "1"}
    completed = subprocess.run(
        [sys.executable, "-c", "from framework.cli import main; main()", "review", str(source),
         "-w", str(workspace), "--config", str(config), "--model", "openai:some-model",
         "--plugins-dir", str(plugins),
         "-r", "security", "--no-progress", "-f", "json"],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    runs = sorted((workspace / "runs").iterdir())
    return completed, runs[-1]


def test_a_review_through_an_openai_compatible_server(tmp_path):
    with ChatServer(script, API_KEY) as server:
        completed, run = review(tmp_path, server, API_KEY)
    assert completed.returncode == 0, completed.stderr
    summary = json.loads((run / "summary.json").read_text())
    findings = {f["rule_id"]: f for f in json.loads((run / "findings.json").read_text())}

    # The agent read the file over the wire and its verdicts came back as structured output.
    agent_requests = [r for r in server.requests if "ReviewResult" in tool_names(r)]
    assert len(agent_requests) == 2
    tool_message = next(m for m in agent_requests[1]["messages"] if m["role"] == "tool")
    assert "     6      os.system(command)" in message_text(tool_message)
    assert tool_names(agent_requests[0]) == ["list_files", "read_file", "search_text", "ReviewResult"]
    assert {r["model"] for r in server.requests} == {"some-model"}
    assert all(r["stream"] and r["stream_options"] == {"include_usage": True} for r in server.requests)
    assert server.refused == 0

    assert (findings["command-injection"]["origin"], findings["command-injection"]["verdict"]) == ("analyzer", "confirmed")
    assert findings["command-injection"]["details"]["verification"] == {"confidence": 0.9, "reason": "from the code"}
    assert findings["command-injection"]["details"]["score"] == 9.5
    assert findings["unsafe-deserialization"]["verdict"] == "rejected"
    assert findings["unsafe-deserialization"]["verdict_reason"] == "load() is never given untrusted data"
    added = findings["missing-auth"]
    assert (added["origin"], added["verdict"], added["line"]) == ("agent", "rejected", 13)
    assert added["verdict_reason"] == "verification: confidence 0.20 is below 0.60: from the code"

    # Token usage from the streamed chunks, per reviewer and for the run.
    security = summary["reviewers"]["security"]
    assert security["status"] == "ok" and security["model"] == "openai:some-model"
    assert security["usage"] == {"input_tokens": 400, "output_tokens": 40, "total_tokens": 440,
                                 "model_calls": 4, "estimated_cost_usd": 0.00048}  # fmt: skip
    assert summary["aggregation"]["usage"] == {"input_tokens": 200, "output_tokens": 20, "total_tokens": 220,
                                               "model_calls": 2, "estimated_cost_usd": 0.00024}  # fmt: skip
    assert summary["usage"] == {"input_tokens": 600, "output_tokens": 60, "total_tokens": 660, "model_calls": 6,
                                "estimated_cost_usd": 0.00072, "cost_complete": True}  # fmt: skip
    assert summary["counts"]["total"] == 1 and summary["counts"]["rejected"] == 2
    # An aggregator from --plugins-dir ran in the aggregate step, between the built-ins.
    assert summary["counted_by_plugin"] == {"findings": 3, "standing": 1}
    assert summary["aggregation"]["aggregators"] == [
        "framework.aggregators.dedupe", "counting",
        "framework.aggregators.scoring", "framework.aggregators.executive_summary",
    ]  # fmt: skip
    assert summary["executive_summary"] == {"text": "Fix the shell injection in run() first.", "by": "openai:some-model"}
    assert summary["risk"] == {"score": 9.5, "level": "critical", "by": "openai:some-model"}
    printed = json.loads(completed.stdout)
    assert printed["summary"]["usage"]["model_calls"] == 6
    report = (run / "report.md").read_text()
    assert "Fix the shell injection in run() first." in report
    assert "Models: 6 calls, 660 tokens, about $0.0007." in report


def test_a_refused_key_gives_a_partial_review_not_an_empty_one(tmp_path):
    with ChatServer(script, API_KEY) as server:
        completed, run = review(tmp_path, server, "sk-wrong")
    assert server.refused >= 1 and server.requests == []
    assert completed.returncode == 3, completed.stderr  # the run is incomplete
    summary = json.loads((run / "summary.json").read_text())
    security = summary["reviewers"]["security"]
    assert security["status"] == "partial"
    assert any("the model call failed" in note and "401" in note for note in security["notes"])
    findings = json.loads((run / "findings.json").read_text())
    assert {(f["rule_id"], f["verdict"]) for f in findings} == {
        ("command-injection", None), ("unsafe-deserialization", None),
    }  # fmt: skip
    assert summary["status"] == "incomplete"
    assert summary["executive_summary"]["by"] == "rules"
    assert summary["risk"]["by"] == "rules"
    assert summary["aggregation"]["notes"][0].startswith("a model call failed, rules stood in: AuthenticationError")
    assert "Not complete: security (partial)." in summary["executive_summary"]["text"]


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    # The loopback server must be reached directly, whatever proxy the machine sets.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
