"""The labelled corpus: every case gets exactly the findings it declares, with CWE and path."""

from __future__ import annotations

import pytest
from corpus_index import load_cases

from reviewers.security.rules import RULES


@pytest.mark.parametrize("case", load_cases(), ids=lambda case: case.name)
def test_corpus_case(case, corpus_findings):
    owned = [finding for finding in corpus_findings if case.owns(finding["file"])]
    assert {(finding["file"], finding["line"], finding["rule_id"]) for finding in owned} == case.expected
    for finding in owned:
        assert finding["cwe"] == RULES[finding["rule_id"]].cwe
        path = finding["details"]["path"]
        assert path[-1]["line"] == finding["line"]
        if RULES[finding["rule_id"]].taint:
            assert path[0]["what"].startswith("source: ")
            assert finding["details"]["source"]["line"] == path[0]["line"]
