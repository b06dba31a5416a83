"""Security reviewer: follows untrusted data to dangerous calls across modules, with CWE ids.

The engine (the modules of this package) is imported only when the reviewer runs, so that
loading plugins stays fast. docs/security-reviewer.md describes the rules and how to read a path.
"""

from __future__ import annotations

from framework import Reviewer, hookimpl
from reviewers.security.settings import SecuritySettings


class SecurityReviewer(Reviewer):
    name = "security"
    description = (
        "Untrusted data reaching injection, traversal, XSS, SSRF, template, header, redirect and "
        "deserialization sinks across modules and templates; secrets, debug mode, CSRF, TLS, weak "
        "hashes, randomness and cookies (CWE ids); any Python 3 syntax"
    )
    version = "3"
    Settings = SecuritySettings
    covers = ("*.py",)
    prompt = (
        "You are an application-security reviewer. Follow untrusted input to dangerous sinks "
        "(commands, SQL, file paths, templates, deserialization) and report only what an attacker "
        "could reach. Each analyzer finding carries its source-to-sink path in details.path: "
        "check every step. Give the CWE id of each finding."
    )

    def analyze(self, tree, settings: SecuritySettings):
        from reviewers.security.engine import review

        outcome = review(tree, settings)
        self.skipped = outcome.skipped
        for fields in outcome.findings:
            yield self.finding(**fields)


@hookimpl
def register_reviewers(register):
    register(SecurityReviewer)
