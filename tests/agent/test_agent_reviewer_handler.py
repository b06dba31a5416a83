"""The reviewer handler in agent mode: a plugin's reviewer, its analyzer, its agent, its results file."""

from __future__ import annotations

import json
import textwrap

from scripted_model import ScriptedModel, call, reviewer_config

from framework.agents import providers as models
from framework.run import reviewer_handler as review
from framework.run.workspace import Workspace, new_run_id, write_json

PLUGIN = textwrap.dedent('''
    from framework import Reviewer, hookimpl


    class TodoReviewer(Reviewer):
        name = "todo"
        prompt = "You look for work left undone."

        def analyze(self, tree, settings):
            for path in tree.files:
                for number, line in enumerate(tree.read_text(path).splitlines(), start=1):
                    if "TODO" in line:
                        yield self.finding(rule_id="todo", message="TODO left in", file=path,
                                           line=number, severity="info")


    @hookimpl
    def register_reviewers(register):
        register(TodoReviewer)
''')


def test_the_handler_runs_a_plugins_reviewer_as_an_agent_and_writes_its_results(tmp_path, monkeypatch):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "todo_reviewer.py").write_text(PLUGIN)
    monkeypatch.setenv("CODEPANEL_PLUGINS_DIR", str(plugins))
    run = Workspace(tmp_path / "ws").run(new_run_id())
    (run.source_dir / "pkg").mkdir(parents=True)
    (run.source_dir / "pkg" / "a.py").write_text("x = 1  # TODO: remove\n")
    (run.source_dir / "pkg" / "b.py").write_text("y = 2  # TODO: never read\n")
    write_json(run.manifest_path, {"included": [{"path": "pkg/a.py"}, {"path": "pkg/b.py"}], "totals": {}})
    model = ScriptedModel([
        [call("read_file", path="pkg/a.py")],
        [call("ReviewResult", verdicts=[{"id": "F1", "verdict": "confirmed", "reason": "still there"}],
              findings=[], summary="one TODO")],
    ])  # fmt: skip
    monkeypatch.setattr(models, "build", lambda spec, timeout=None: model)
    config = reviewer_config(name="todo", plugin="todo", limits={"max_files": 1})

    outcome = review.run_reviewer(run, config).to_json()

    results = json.loads(run.results_path("todo").read_text())
    # limits.max_files cut the review: it is partial, and says by how much.
    assert outcome["status"] == results["status"] == "partial"
    assert results["model"] == "openai:scripted"
    assert results["notes"] == results["limits_hit"] == ["todo: limits.max_files (1): 1 of 2 files reviewed"]
    (finding,) = results["findings"]
    assert (finding["file"], finding["origin"], finding["verdict"], finding["verdict_reason"]) == (
        "pkg/a.py", "analyzer", "confirmed", "still there",
    )  # fmt: skip
    assert finding["snippet"] == "x = 1 # TODO: remove" and len(finding["fingerprint"]) == 32
    assert results["usage"]["model_calls"] == 2 and results["usage"]["total_tokens"] == 240
    assert results["agent"] == {"stop_reason": "done", "tool_calls": 1, "summary": "one TODO"}
    assert model.requests[0]["system"].startswith("You look for work left undone.")
    status = json.loads(run.status_path("todo").read_text())
    assert (status["status"], status["findings"]) == ("partial", 1)
