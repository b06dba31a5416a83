"""SARIF 2.1.0 (OASIS, errata 01), in the shape GitHub code scanning reads.

One run, tool ``codepanel``. Rules are the reviewers' rules, named ``reviewer/rule-id`` so that
two reviewers' rules never collide, with help text and ``external/cwe/cwe-N`` tags (plus the
``security`` tag and GitHub's ``security-severity`` where a CWE applies). Each result carries its
location, level, a line-independent ``partialFingerprints`` entry, the reviewer in
``properties``, and a ``fixes`` entry where the reviewer knows a fix: ``finding.details["fix"]``
as ``{"message", "applicability", "edits": [{"content", "location": {"row", "column"},
"end_location": {"row", "column"}}]}`` with 1-based rows and columns, the end excluded (ruff's
format). codepanel itself never edits the reviewed source. A finding with a path from source to
sink (``details["path"]``) carries it as ``codeFlows``: one thread flow, a location per step, its
message the step's ``what``; the scorer's priority is the result's ``rank`` (ten times over).
Suppressed findings and findings already in the baseline are left out, as in every report. A high
or critical finding an agent rejected is kept, marked rejected: a ``suppressions`` entry of kind
``external`` with status ``underReview`` (proposed, not in effect) and the agent's reason.

What the review did not do (``summary.attention()``: plugins that failed, limits that cut it,
files no reviewer covered) is in the invocation, as warning notifications and in its properties,
and in the run's properties; a run that is not complete, or that a limit cut, has
``executionSuccessful`` false.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from framework import __version__
from framework.findings import Finding
from framework.reports import contents
from framework.run.summary import RunSummary

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT_KEY = "codepanelFingerprint/v1"
SOURCE_ROOT = "%SRCROOT%"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}
# GitHub ranks security alerts by this score: over 9.0 critical, 7.0 high, 4.0 medium, else low.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}
# GitHub code scanning accepts at most this many results in a run, and shows at most this many
# locations of a thread flow.
MAX_RESULTS = 25_000
MAX_FLOW_STEPS = 1_000


def log(summary: RunSummary, findings: list[Finding]) -> dict[str, Any]:
    """The SARIF log of a finished run."""
    shown = [finding for finding in findings if finding.shown]
    reported = shown + contents.rejected(findings)
    rules: dict[str, dict[str, Any]] = {}
    for finding in reported:
        if rule_id(finding) not in rules:
            rules[rule_id(finding)] = _rule(finding)
    index = {identifier: position for position, identifier in enumerate(rules)}
    results = [_result(finding, index) for finding in reported[:MAX_RESULTS]]
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "codepanel", "version": __version__, "semanticVersion": __version__,
                            "rules": list(rules.values())}},
        "automationDetails": {"id": f"codepanel/{summary.run_id}"},
        "columnKind": "unicodeCodePoints",
        "invocations": [_invocation(summary)],
        "results": results,
        "properties": _run_properties(summary, len(shown)),
    }  # fmt: skip
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def rule_id(finding: Finding) -> str:
    return f"{finding.reviewer}/{finding.rule_id}"


def _rule(finding: Finding) -> dict[str, Any]:
    slug = _slug(finding)
    level = LEVELS[finding.severity]
    tags = [finding.reviewer]
    properties: dict[str, Any] = {"reviewer": finding.reviewer, "precision": finding.confidence,
                                  "problem.severity": PROBLEM_SEVERITY[level]}  # fmt: skip
    if finding.cwe:
        tags = ["security", f"external/cwe/cwe-{int(finding.cwe)}", *tags]
        properties["security-severity"] = SECURITY_SEVERITY[finding.severity]
    properties["tags"] = list(dict.fromkeys(tags))
    rule: dict[str, Any] = {
        "id": rule_id(finding),
        "name": "".join(word.capitalize() for word in re.split(r"[^A-Za-z0-9]+", slug) if word)
        or "Rule",
        "shortDescription": {"text": _sentence(slug)},
        "fullDescription": {"text": finding.message},
        "help": _help(finding),
        "defaultConfiguration": {"level": level},
        "properties": properties,
    }
    url = finding.details.get("url") if isinstance(finding.details, dict) else None
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        rule["helpUri"] = url
    return rule


def _slug(finding: Finding) -> str:
    """A readable name for the rule: the reviewer's own, the end of its URL, or the rule id."""
    details = finding.details if isinstance(finding.details, dict) else {}
    name = details.get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    url = details.get("url")
    if isinstance(url, str) and url.rstrip("/").rsplit("/", 1)[-1]:
        return url.rstrip("/").rsplit("/", 1)[-1]
    return finding.rule_id.rsplit(".", 1)[-1]


def _sentence(slug: str) -> str:
    words = " ".join(re.split(r"[-_\s]+", slug)).strip()
    return (words[:1].upper() + words[1:]) or slug


def _help(finding: Finding) -> dict[str, str]:
    lines = [finding.recommendation or finding.message]
    if finding.cwe:
        lines.append(
            f"CWE-{finding.cwe}: https://cwe.mitre.org/data/definitions/{int(finding.cwe)}.html"
        )
    url = finding.details.get("url") if isinstance(finding.details, dict) else None
    if isinstance(url, str) and url and url not in lines[0]:
        lines.append(f"More: {url}")
    text = "\n\n".join(lines)
    return {"text": text, "markdown": text}


def _location(file: str) -> dict[str, Any]:
    return {"uri": quote(file, safe="/"), "uriBaseId": SOURCE_ROOT}


def _code_flows(finding: Finding) -> list[dict[str, Any]] | None:
    """The path from source to sink as one thread flow, a location per step; None without a path."""
    path = contents.flow(finding, max_steps=MAX_FLOW_STEPS)
    if path is None:
        return None
    locations = []
    for step in path.steps:
        physical: dict[str, Any] = {"artifactLocation": _location(step.file)}
        if step.line is not None:
            physical["region"] = {"startLine": step.line}
        location = {"physicalLocation": physical, "message": {"text": step.what or step.where}}
        locations.append({"location": location})
    count = len(path.steps) + path.omitted
    text = f"{count} steps from {path.steps[0].where} to {path.steps[-1].where}"
    if contents.source_not_traced(finding):
        text = f"source not traced; {text}"
    return [{"message": {"text": text}, "threadFlows": [{"locations": locations}]}]


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    region: dict[str, Any] = {
        "startLine": finding.line,
        "endLine": max(finding.end_line or finding.line, finding.line),
    }
    if finding.column and finding.column > 0:
        region["startColumn"] = int(finding.column)
    properties: dict[str, Any] = {
        "reviewer": finding.reviewer, "severity": finding.severity, "confidence": finding.confidence,
        "origin": finding.origin,
    }  # fmt: skip
    if finding.cwe:
        properties["cwe"] = f"CWE-{int(finding.cwe)}"
    if finding.verdict:
        properties["verdict"] = finding.verdict
    if finding.recommendation:
        properties["recommendation"] = finding.recommendation
    if finding.in_tests:
        properties["inTests"] = True
    if contents.source_not_traced(finding):
        properties["sourceTraced"] = False
    score = contents.score(finding)
    result: dict[str, Any] = {
        "ruleId": rule_id(finding),
        "ruleIndex": index[rule_id(finding)],
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message or finding.rule_id},
        "locations": [
            {"physicalLocation": {"artifactLocation": _location(finding.file), "region": region}}
        ],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": properties,
    }
    if score is not None:
        # SARIF's rank is a priority from 0 to 100: the scorer's, ten times over.
        result["rank"] = round(score * 10, 1)
    if (flows := _code_flows(finding)) is not None:
        result["codeFlows"] = flows
    if finding.baseline_state in ("new", "unchanged"):
        result["baselineState"] = finding.baseline_state
    if (fix := _fix(finding)) is not None:
        result["fixes"] = [fix]
    if finding.verdict == "rejected":
        result["message"]["text"] += f" ({contents.rejection(finding)})"
        result["suppressions"] = [{"kind": "external", "status": "underReview", "justification": contents.rejection(finding)}]
        properties["verdictReason"] = finding.verdict_reason
    return result


def _fix(finding: Finding) -> dict[str, Any] | None:
    """The reviewer's suggested fix as a SARIF fix, or None when it has none (or a malformed one)."""
    fix = finding.details.get("fix") if isinstance(finding.details, dict) else None
    if not isinstance(fix, dict) or not isinstance(fix.get("edits"), list) or not fix["edits"]:
        return None
    replacements = []
    for edit in fix["edits"]:
        try:
            start, end = edit["location"], edit["end_location"]
            region = {"startLine": int(start["row"]), "startColumn": int(start["column"]),
                      "endLine": int(end["row"]), "endColumn": int(end["column"])}  # fmt: skip
            content = str(edit.get("content") or "")
        except (KeyError, TypeError, ValueError):
            return None
        if min(region.values()) < 1 or (region["endLine"], region["endColumn"]) < (
            region["startLine"],
            region["startColumn"],
        ):
            return None
        replacement: dict[str, Any] = {"deletedRegion": region}
        if content:
            replacement["insertedContent"] = {"text": content}
        replacements.append(replacement)
    sarif_fix: dict[str, Any] = {
        "description": {"text": str(fix.get("message") or f"Fix {finding.rule_id}")},
        "artifactChanges": [
            {"artifactLocation": _location(finding.file), "replacements": replacements}
        ],
    }
    if fix.get("applicability"):
        sarif_fix["properties"] = {"applicability": str(fix["applicability"])}
    return sarif_fix


def _invocation(summary: RunSummary) -> dict[str, Any]:
    """How the run went: what it did not do as warnings, the reviewers that did not finish as
    errors; a run that is not complete, or that a limit cut, did not execute successfully."""
    notifications = []
    if summary.error:
        notifications.append({"level": "error", "message": {"text": summary.error}})
    attention = summary.attention()
    for line in attention:
        notifications.append({"level": "warning", "message": {"text": line}})
    for name, entry in summary.unfinished().items():
        text = f"reviewer {name}: {entry.status}" + (f": {entry.note}" if entry.note else "")
        notifications.append(
            {"level": "error", "message": {"text": text}, "descriptor": {"id": name}}
        )
    successful = summary.complete and not summary.limits_hit
    invocation: dict[str, Any] = {"executionSuccessful": successful}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    properties = {
        "status": str(summary.status),
        "attention": attention,
        "pluginProblems": summary.plugin_problems,
        "limitsHit": summary.limits_hit,
        "uncovered": summary.uncovered,
        "unfinished": {name: str(entry.status) for name, entry in summary.unfinished().items()},
    }
    if any(properties[key] for key in properties if key != "status"):
        invocation["properties"] = {key: value for key, value in properties.items() if value}
    return invocation


def _run_properties(summary: RunSummary, shown: int) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "runId": summary.run_id,
        "repository": summary.repository,
        "status": str(summary.status),
        "reviewers": {name: str(entry.status) for name, entry in summary.reviewers.items()},
        "suppressed": summary.counts.suppressed,
        "inBaseline": summary.counts.baseline,
    }
    if attention := summary.attention():
        properties["attention"] = attention
    if isinstance(summary.risk, dict) and summary.risk.get("level"):
        properties["risk"] = summary.risk
    if summary.commit:
        properties["commit"] = summary.commit
    if shown > MAX_RESULTS:
        properties["truncated"] = f"the first {MAX_RESULTS} of {shown} results"
    return properties
