"""Turning resolved hits and weaknesses into findings: one per sink, with the best path to it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from reviewers.security.ir import Weakness
from reviewers.security.resolve import Hit
from reviewers.security.rules import RULES
from reviewers.security.taint import ASSUMED

# Data from the local user (argv, input, environment, files) is less of a threat than data
# from anyone on the network: such findings are reported, but lower.
LOCAL_SEVERITY = {"critical": "medium", "high": "low", "medium": "low", "low": "low", "info": "info"}


# ``details["source"]`` of a finding whose data the engine could not trace to any source.
NOT_TRACED = "not traced"


def findings(hits: list[Hit], weaknesses: list[Weakness], untraced: list[Hit] = ()) -> list[dict[str, Any]]:
    """Keyword arguments for ``Finding``, sorted by file, line and rule."""
    by_sink: dict[tuple, list[Hit]] = defaultdict(list)
    for hit in hits:
        sink = hit.sink
        by_sink[(sink.file, sink.line, sink.column, sink.rule)].append(hit)
    result = [_taint_finding(group) for group in by_sink.values()]
    untraced_sinks: dict[tuple, Hit] = {}
    for hit in untraced:
        key = (hit.sink.file, hit.sink.line, hit.sink.column, hit.sink.rule)
        if key not in by_sink:
            untraced_sinks.setdefault(key, hit)
    result.extend(_untraced_finding(hit) for hit in untraced_sinks.values())
    result.extend(_weakness_finding(weakness) for weakness in weaknesses)
    result.sort(key=lambda item: (item["file"], item["line"], item["column"], item["rule_id"], item["message"]))
    return result


def _rank(hit: Hit) -> tuple:
    return (hit.atom[2] != "remote", ASSUMED in hit.cleansed, len(hit.path), hit.path)


def _taint_finding(group: list[Hit]) -> dict[str, Any]:
    best = min(group, key=_rank)
    sink = best.sink
    rule = RULES[sink.rule]
    _, kind, trust, file, line, _, what = best.atom
    sources = sorted({(hit.atom[3], hit.atom[4], hit.atom[5], hit.atom[6]) for hit in group})
    remote = trust == "remote"
    assumed = ASSUMED in best.cleansed
    where = f"line {line}" if file == sink.file else f"{file}:{line}"
    others = f" (and {len(sources) - 1} other source{'s' if len(sources) > 2 else ''})" if len(sources) > 1 else ""
    return {
        "rule_id": rule.id,
        "cwe": rule.cwe,
        "severity": rule.severity if remote else LOCAL_SEVERITY[rule.severity],
        # Local input (the command line, the environment, files) is the user's own: low confidence.
        "confidence": ("high" if not assumed else "medium") if remote else "low",
        "message": f"{rule.title}: {what} ({where}){others} reaches {sink.what}",
        "recommendation": rule.recommendation,
        "file": sink.file,
        "line": sink.line,
        "end_line": sink.end_line,
        "column": sink.column,
        "details": {
            "path": [{"file": step_file, "line": step_line, "what": step_what}
                     for step_file, step_line, step_what in best.path],
            "source": {"kind": kind, "trust": trust, "file": file, "line": line, "what": what},
            "sink": sink.what,
            "sources": len(sources),
            "assumed_flow": assumed,
        },
    }


def _untraced_finding(hit: Hit) -> dict[str, Any]:
    """The low tier: a dangerous sink fed by a parameter that no caller in the repository gives."""
    sink = hit.sink
    rule = RULES[sink.rule]
    _, function, name = hit.atom
    short = function.rsplit(".", 1)[-1]
    return {
        "rule_id": rule.id,
        "cwe": rule.cwe,
        "severity": LOCAL_SEVERITY[rule.severity],
        "confidence": "low",
        "message": f"{rule.title}? parameter {name} of {short}() (no caller here, source not traced) is "
                   f"formatted into {sink.what}",
        "recommendation": rule.recommendation,
        "file": sink.file,
        "line": sink.line,
        "end_line": sink.end_line,
        "column": sink.column,
        "details": {
            "path": [{"file": step_file, "line": step_line, "what": step_what}
                     for step_file, step_line, step_what in hit.path],
            "source": NOT_TRACED,
            "sink": sink.what,
            "sources": 0,
            "assumed_flow": False,
        },
    }  # fmt: skip


def _weakness_finding(weakness: Weakness) -> dict[str, Any]:
    rule = RULES[weakness.rule]
    return {
        "rule_id": rule.id,
        "cwe": rule.cwe,
        "severity": weakness.severity,
        "confidence": weakness.confidence,
        "message": f"{rule.title}: {weakness.message}",
        "recommendation": rule.recommendation,
        "file": weakness.file,
        "line": weakness.line,
        "end_line": weakness.end_line,
        "column": weakness.column,
        "details": {"path": [{"file": weakness.file, "line": weakness.line, "what": f"call to {weakness.what}"}]},
    }

