"""framework.testing: the review_files fixture plugin authors test their reviewers with."""

from __future__ import annotations

from typing import ClassVar

import pytest

from framework import CodepanelError, ConfigError, Reviewer, ReviewerSettings
from reviewers.style import StyleReviewer


class MarkerSettings(ReviewerSettings):
    marker: str = "TODO"


class MarkerReviewer(Reviewer):
    name = "marker"
    Settings = MarkerSettings
    batches: ClassVar[list[int]] = []

    def analyze_files(self, tree, paths, settings):
        MarkerReviewer.batches.append(len(paths))
        for path in paths:
            for number, line in enumerate(tree.read_text(path).splitlines(), start=1):
                if settings.marker in line:
                    yield self.finding(rule_id="marker", message="marker", file=path, line=number)


def test_a_reviewer_is_run_on_files_with_its_settings_checked(review_files):
    findings = review_files(MarkerReviewer, {"a.py": "x = 1\n# FIXME\n", "pkg/b.py": "# TODO\n"}, {"marker": "FIXME"})
    assert [(f.reviewer, f.rule_id, f.file, f.line) for f in findings] == [("marker", "marker", "a.py", 2)]
    assert len(findings[0].fingerprint) == 32
    with pytest.raises(ConfigError, match=r"settings\.colour: unknown key \(known: marker\)"):
        review_files(MarkerReviewer, {"a.py": ""}, {"colour": "red"})


def test_analyze_files_gets_batches_as_in_a_review(review_files):
    MarkerReviewer.batches = []
    review_files(MarkerReviewer, {f"m{index}.py": "" for index in range(1001)})
    assert MarkerReviewer.batches == [500, 500, 1]


def test_details_that_are_not_json_fail_the_test(review_files):
    class Leaky(Reviewer):
        name = "leaky"

        def analyze(self, tree, settings):
            yield self.finding(rule_id="x", message="m", file=".", details={"when": object()})

    with pytest.raises(CodepanelError, match=r"reviewer 'leaky': the details of x at \.:1 are not JSON"):
        review_files(Leaky, {"a.py": ""})


def test_the_built_in_style_reviewer_through_the_fixture(review_files):
    findings = review_files(StyleReviewer, {"README.md": "# x\n", "test_a.py": "import os\n"}, {"select": ["F401"]})
    assert [(f.rule_id, f.file, f.line) for f in findings] == [("F401", "test_a.py", 1)]
