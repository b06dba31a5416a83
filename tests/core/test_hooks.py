"""One test per hook, named test_hook_<name> (tests/core/test_hooks_documented.py checks that each exists).

Each loads its plugins the way codepanel does (``framework.plugins.load``) and calls the hook the
way a run does, so ordering, hook wrappers and the isolation of a failing plugin are what users get.
"""

from __future__ import annotations

import textwrap

from framework import Finding, RunSummary
from framework import plugins as plugin_loader


def write_plugin(folder, name, source):
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.py").write_text(textwrap.dedent(source))
    return folder


def summary_of() -> RunSummary:
    return RunSummary.model_validate({"run_id": "20260101T000000Z-00000000", "status": "ok"})


def test_hook_register_reviewers(tmp_path):
    folder = write_plugin(tmp_path / "plugins", "pair", '''
        from framework import Reviewer, hookimpl

        class First(Reviewer):
            name = "first"
            description = "the first of two"

        class Second(Reviewer):
            name = "second"

        @hookimpl
        def register_reviewers(register):
            register(First)
            register(Second)
    ''')
    write_plugin(folder, "exploding", '''
        from framework import hookimpl

        @hookimpl
        def register_reviewers(register):
            raise RuntimeError("cannot register")
    ''')
    loaded = plugin_loader.load(folder, entry_points=False)
    assert [loaded.reviewers[name].plugin for name in ("first", "second")] == ["pair", "pair"]
    assert loaded.reviewers["first"].origin == f"plugins-dir {folder}"
    assert loaded.reviewers["first"].description == "the first of two"
    # The plugin that raised is reported by name; the built-ins and the other plugin still register.
    assert loaded.problems == ["plugin 'exploding' failed in register_reviewers: RuntimeError: cannot register"]
    assert {"security", "style", "first", "second"} <= set(loaded.reviewers)


def test_hook_aggregate_findings(tmp_path):
    """Aggregators run in pluggy's order; a hook wrapper's body runs around the rest; one that raises stops only itself."""
    folder = write_plugin(tmp_path / "plugins", "around", '''
        from framework import hookimpl

        @hookimpl(wrapper=True)
        def aggregate_findings(findings, summary):
            summary.seen = ["before: " + str(len(findings))]
            result = yield
            summary.seen.append("after: " + str(sum(f.verdict == "rejected" for f in findings)))
            return result
    ''')
    write_plugin(folder, "rejecting", '''
        from framework import hookimpl

        @hookimpl
        def aggregate_findings(findings):
            for finding in findings:
                if finding.rule_id == "E501":
                    finding.verdict, finding.verdict_reason = "rejected", "the formatter's job"
    ''')
    write_plugin(folder, "failing", '''
        from framework import hookimpl

        @hookimpl
        def aggregate_findings(findings):
            raise ValueError("no")
    ''')
    loaded = plugin_loader.load(folder, entry_points=False)
    findings = [Finding(rule_id="E501", message="long", file="a.py", reviewer="style"),
                Finding(rule_id="x", message="x", file="a.py", line=2, reviewer="security", severity="high")]
    summary = summary_of()
    call = loaded.call("aggregate_findings", findings=findings, summary=summary, model=None)
    assert summary.seen == ["before: 2", "after: 1"]
    assert call.problems == ["aggregator 'failing' failed: ValueError: no"]
    assert call.ran[0] == "framework.aggregators.dedupe" and call.ran[-1] == "around"
    assert "rejecting" in call.ran and "failing" not in call.ran
    assert summary.risk == {"score": 7, "level": "high", "by": "rules"}  # the built-ins ran too
    assert summary.executive_summary["by"] == "rules"
