"""The examples of docs/plugins.md run as written."""

from __future__ import annotations

import re
import textwrap
import types
from pathlib import Path

from framework import RunSummary
from framework import plugins as plugin_loader

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "plugins.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", DOCS, re.DOTALL)


def module_of(source: str) -> types.ModuleType:
    module = types.ModuleType("docs_example")
    exec(compile(source, "docs/plugins.md", "exec"), module.__dict__)  # noqa: S102 - our own docs
    return module


def test_the_first_reviewer_of_the_docs_reviews_files(review_files):
    (first,) = [block for block in BLOCKS if "# reviewers/todo.py" in block]
    example = module_of(textwrap.dedent(first))
    findings = review_files(example.TodoReviewer, {"app.py": "a = 1  # FIXME\nb = 2\n"})
    assert [(f.reviewer, f.rule_id, f.line) for f in findings] == [("todo", "todo", 1)]


def test_the_aggregator_examples_of_the_docs_run(tmp_path):
    folder = tmp_path / "plugins"
    folder.mkdir()
    aggregators = [block for block in BLOCKS if "def aggregate_findings(findings" in block and "..." not in block]
    assert len(aggregators) == 2
    for index, block in enumerate(aggregators):
        (folder / f"example{index}.py").write_text(block)
    loaded = plugin_loader.load(folder, entry_points=False)
    from framework import Finding

    findings = [Finding(rule_id="E501", message="long line", file="a.py", reviewer="style")]
    summary = RunSummary.model_validate({"run_id": "20260101T000000Z-00000000", "status": "ok"})
    call = loaded.call("aggregate_findings", findings=findings, summary=summary, model=None)
    assert call.problems == [] and findings[0].verdict == "rejected"
    assert summary.filtered == {"before": 1, "after": 0}
