"""Security reviewer: dangerous calls in Python code, with CWE ids."""

from __future__ import annotations

from typing import Any

from framework import Reviewer, hookimpl
from reviewers.security.analyzer import analyze_source


class SecurityReviewer(Reviewer):
    name = "security"
    description = "Injection, unsafe deserialization and weak cryptography in Python code"
    version = "1"
    prompt = (
        "You are an application-security reviewer. Follow untrusted input to dangerous sinks "
        "(commands, SQL, file paths, templates, deserialization) and report only what an attacker "
        "could reach. Give the CWE id of each finding."
    )

    def analyze_files(self, tree, paths: list[str], settings: dict[str, Any]):
        for path in paths:
            if not path.endswith((".py", ".pyi")):
                continue
            for issue in analyze_source(tree.read_text(path), path):
                yield self.finding(**issue)


@hookimpl
def register_reviewers(register):
    register(SecurityReviewer)
