"""SARIF: the report of a review with findings from every built-in reviewer validates against the
official SARIF 2.1.0 schema (errata 01), and carries what GitHub code scanning reads."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

from framework import plugins as plugin_loader
from framework.findings import Finding
from framework.reports import sarif
from framework.run.summary import RunSummary

SCHEMA_PATH = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"

EXTRA = """\
import pickle
import subprocess
from typing import List

import yaml
from flask import request


def load(items: List[int] = []):
    blob, command, document = request.get_data(), request.args["command"], request.form["document"]
    subprocess.run(command, shell=True)
    config = yaml.load(document)
    return pickle.loads(blob), eval(command), config
"""


@pytest.fixture(scope="module")
def validator() -> Draft4Validator:
    return Draft4Validator(
        json.loads(SCHEMA_PATH.read_text()), format_checker=Draft4Validator.FORMAT_CHECKER
    )


def errors(validator: Draft4Validator, document: dict) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]


def test_the_schema_is_the_official_errata01_file():
    assert hashlib.sha256(SCHEMA_PATH.read_bytes()).hexdigest() == SCHEMA_SHA256
    schema = json.loads(SCHEMA_PATH.read_text())
    assert schema["id"] == sarif.SCHEMA_URI
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"


@pytest.fixture
def reviewed(review, repo, tmp_path):
    (repo / "app" / "extra.py").write_text(EXTRA)
    # The project asks ruff for its modernizations too (UP006's fix inserts text): the style reviewer follows it.
    (repo / "ruff.toml").write_text('[lint]\nselect = ["E9", "F", "B", "UP"]\n')
    output = tmp_path / "out.sarif"
    done = review(repo, "--format", "sarif", "-o", str(output))
    return done, json.loads(output.read_text())


def test_the_sarif_of_every_builtin_reviewer_validates(reviewed, validator):
    done, log = reviewed
    assert errors(validator, log) == []
    builtin = {
        r.name
        for r in plugin_loader.load(entry_points=False).reviewers.values()
        if r.origin == "built-in"
    }
    found = {result["properties"]["reviewer"] for result in log["runs"][0]["results"]}
    assert builtin <= found, f"built-in reviewers with no result in the SARIF: {builtin - found}"
    # -o wrote the run's own report.sarif
    assert json.loads(done.report("report.sarif")) == log


def test_the_validator_does_reject_a_broken_log(reviewed, validator):
    _, log = reviewed
    broken = copy.deepcopy(log)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    del broken["runs"][0]["tool"]["driver"]["name"]
    assert len(errors(validator, broken)) == 2


def test_rules_have_ids_names_help_and_cwe_tags(reviewed):
    _, log = reviewed
    driver = log["runs"][0]["tool"]["driver"]
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert driver["name"] == "codepanel"
    assert len(rules) == len(driver["rules"])  # ids are unique
    command = rules["security/command-injection"]
    assert command["name"] == "CommandInjection"
    assert command["shortDescription"]["text"] == "Command injection"
    assert command["help"]["text"].startswith(("Use subprocess.run", "Pass a list of arguments"))
    assert "https://cwe.mitre.org/data/definitions/78.html" in command["help"]["text"]
    assert command["properties"]["tags"] == ["security", "external/cwe/cwe-78"]
    assert command["properties"]["security-severity"] == "9.5"  # critical: web input reaches a shell
    assert rules["security/unsafe-deserialization"]["properties"]["tags"][:2] == [
        "security",
        "external/cwe/cwe-502",
    ]
    unused = rules["style/F401"]
    assert (unused["name"], unused["shortDescription"]["text"]) == ("UnusedImport", "Unused import")
    assert unused["helpUri"] == "https://docs.astral.sh/ruff/rules/unused-import"
    assert unused["properties"]["tags"] == ["style"]
    assert "security-severity" not in unused["properties"]


def test_results_have_locations_levels_fingerprints_and_the_reviewer(reviewed):
    done, log = reviewed
    run = log["runs"][0]
    results = run["results"]
    assert len(results) == done.summary["counts"]["total"]
    command = next(
        r
        for r in results
        if r["ruleId"] == "security/command-injection"
        and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/views.py"
    )
    location = command["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "app/views.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 5, "endLine": 5, "startColumn": 5}
    assert command["level"] == "error"
    assert command["properties"]["reviewer"] == "security"
    assert command["properties"]["cwe"] == "CWE-78"
    finding = done.one(rule_id="command-injection", file="app/views.py")
    assert command["partialFingerprints"] == {"codepanelFingerprint/v1": finding["fingerprint"]}
    assert run["tool"]["driver"]["rules"][command["ruleIndex"]]["id"] == command["ruleId"]
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels["security/weak-hash"] == "warning" and levels["style/F401"] == "note"
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert run["columnKind"] == "unicodeCodePoints"


def test_a_fix_that_ruff_knows_becomes_a_sarif_fix(reviewed):
    _, log = reviewed
    results = log["runs"][0]["results"]
    unused = next(
        r
        for r in results
        if r["ruleId"] == "style/F401"
        and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/util.py"
    )
    assert unused["fixes"] == [{
        "description": {"text": "Remove unused import: `sys`"},
        "artifactChanges": [{
            "artifactLocation": {"uri": "app/util.py", "uriBaseId": "%SRCROOT%"},
            "replacements": [{"deletedRegion": {"startLine": 2, "startColumn": 1, "endLine": 3, "endColumn": 1}}],
        }],
        "properties": {"applicability": "safe"},
    }]  # fmt: skip
    upgrade = next(r for r in results if r["ruleId"] == "style/UP006")
    replacement = upgrade["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"] == {"text": "list"}
    assert "fixes" not in next(r for r in results if r["ruleId"] == "security/command-injection")


def test_failed_reviewers_and_odd_paths_still_validate(validator):
    summary = RunSummary.model_validate({
        "run_id": "20260101T000000Z-00000000", "repository": "x", "status": "incomplete",
        "reviewers": {"style": {"status": "ok"}, "slow": {"status": "timed_out", "error": "Task timed out"}},
        "counts": {"suppressed": 0, "baseline": 0},
    })  # fmt: skip
    findings = [
        Finding(rule_id="odd", message="m", file="dir with space/#hash%.py", line=3, reviewer="style",
                details={"fix": {"edits": [{"content": "x", "location": {"row": 0, "column": 1},
                                            "end_location": {"row": 1, "column": 1}}]}}),
        Finding(rule_id="repo.no-readme", message="no README", file=".", reviewer="style", cwe=1059),
    ]  # fmt: skip
    for finding in findings:
        finding.with_fingerprint("line")
    log = sarif.log(summary, findings)
    assert errors(validator, log) == []
    run = log["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is False
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"] == (
        "reviewer slow: timed_out: Task timed out"
    )
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "dir%20with%20space/%23hash%25.py"
    assert (
        "fixes" not in run["results"][0]
    )  # a fix with row 0 is malformed: left out, never guessed


def test_a_taint_finding_carries_its_path_as_a_code_flow(reviewed, validator):
    done, log = reviewed
    results = log["runs"][0]["results"]
    command = next(
        r
        for r in results
        if r["ruleId"] == "security/command-injection"
        and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/views.py"
    )
    (flow,) = command["codeFlows"]
    (thread,) = flow["threadFlows"]
    steps = [
        (
            step["location"]["physicalLocation"]["artifactLocation"]["uri"],
            step["location"]["physicalLocation"]["region"]["startLine"],
            step["location"]["message"]["text"],
        )
        for step in thread["locations"]
    ]
    assert steps == [
        ("app/views.py", 4, "source: request.args"),
        ("app/views.py", 4, "assigned to command"),
        ("app/views.py", 5, "reaches os.system()"),
    ]
    assert flow["message"]["text"] == "3 steps from app/views.py:4 to app/views.py:5"
    finding = done.one(rule_id="command-injection", file="app/views.py")
    assert command["rank"] == finding["details"]["score"] * 10
    # Every finding of the security reviewer with a path of two steps or more has its code flow,
    # and a weakness (its one step is the call itself) has none.
    with_paths = {(f["file"], f["line"], f["rule_id"]) for f in done.findings if len(f["details"].get("path", [])) > 1}
    with_flows = {
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["ruleId"].split("/", 1)[1],
        )
        for r in results
        if "codeFlows" in r
    }
    assert with_flows == with_paths and len(with_flows) >= 4
    weak = next(r for r in results if r["ruleId"] == "security/weak-hash")
    assert "codeFlows" not in weak
    assert errors(validator, log) == []


def test_what_the_review_did_not_do_is_in_the_invocation_and_the_run(validator):
    summary = RunSummary.model_validate({
        "run_id": "20260101T000000Z-00000000", "repository": "x", "status": "incomplete",
        "reviewers": {"security": {"status": "partial", "notes": ["source.max_files cut the review"]}},
        "plugin_problems": ["plugin 'broken' failed to load: boom"],
        "limits_hit": ["source.max_files (10): 10 of 30 files fetched"],
        "uncovered": {"JavaScript": 213},
    })  # fmt: skip
    log = sarif.log(summary, [])
    assert errors(validator, log) == []
    run = log["runs"][0]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    attention = [
        "plugin 'broken' failed to load: boom",
        "source.max_files (10): 10 of 30 files fetched",
        "213 JavaScript files: no offline reviewer covers them; add a model or a reviewer",
    ]
    assert [(n["level"], n["message"]["text"]) for n in invocation["toolExecutionNotifications"]] == [
        *(("warning", line) for line in attention),
        ("error", "reviewer security: partial: source.max_files cut the review"),
    ]
    assert invocation["properties"] == {
        "status": "incomplete",
        "attention": attention,
        "pluginProblems": ["plugin 'broken' failed to load: boom"],
        "limitsHit": ["source.max_files (10): 10 of 30 files fetched"],
        "uncovered": {"JavaScript": 213},
        "unfinished": {"security": "partial"},
    }
    assert run["properties"]["attention"] == attention
    # A limit that cut the review makes it unsuccessful, whatever the status says.
    cut = summary.model_copy(update={"status": "ok", "reviewers": {}, "plugin_problems": None})
    (invocation,) = sarif.log(cut, [])["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["properties"]["status"] == "ok"
    # Files no reviewer covered are said, but do not make the run fail.
    uncovered = cut.model_copy(update={"limits_hit": None})
    (invocation,) = sarif.log(uncovered, [])["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    assert [n["level"] for n in invocation["toolExecutionNotifications"]] == ["warning"]


def test_odd_paths_give_valid_code_flows_or_none(validator):
    summary = RunSummary.model_validate({"run_id": "r", "status": "ok", "reviewers": {"x": {"status": "ok"}}})
    findings = [
        Finding(rule_id="a", message="m", file="a.py", line=9, reviewer="x", in_tests=True,
                details={"path": ["junk", {"file": "dir with space/b.py", "line": 0, "what": ""},
                                  {"file": "a.py", "line": 9, "what": "reaches eval()"}],
                         "source": "not traced", "score": "high"}),
        Finding(rule_id="b", message="m", file="a.py", line=3, reviewer="x",
                details={"path": {"file": "a.py"}, "score": 11}),
        Finding(rule_id="c", message="m", file="a.py", line=4, reviewer="x",
                details={"path": [{"file": "a.py", "line": n, "what": f"s{n}"} for n in range(1, 1500)]}),
    ]  # fmt: skip
    for finding in findings:
        finding.with_fingerprint(finding.rule_id)
    log = sarif.log(summary, findings)
    assert errors(validator, log) == []
    odd, no_path, long = log["runs"][0]["results"]
    first, last = odd["codeFlows"][0]["threadFlows"][0]["locations"]
    assert last["location"]["message"]["text"] == "reaches eval()"
    assert first["location"] == {
        "physicalLocation": {"artifactLocation": {"uri": "dir%20with%20space/b.py", "uriBaseId": "%SRCROOT%"}},
        "message": {"text": "dir with space/b.py"},
    }  # no line, no text: the place is the message
    assert odd["codeFlows"][0]["message"]["text"].startswith("source not traced; 2 steps")
    assert odd["properties"]["inTests"] is True and odd["properties"]["sourceTraced"] is False
    assert "rank" not in odd  # a score that is no number is left out
    assert "codeFlows" not in no_path and no_path["rank"] == 100
    assert len(long["codeFlows"][0]["threadFlows"][0]["locations"]) == sarif.MAX_FLOW_STEPS
    assert long["codeFlows"][0]["message"]["text"] == "1499 steps from a.py:1 to a.py:1499"
