"""Hard-coded secrets (CWE-798): framework secret keys, passwords, tokens of known formats.

Three signs, each needing no data flow: a string constant assigned to (or passed as) a name
that says it holds a secret (``SECRET_KEY``, ``app.secret_key``, ``password=``), a token whose
format is known (AWS access keys, GitHub, Slack, Stripe and Google API tokens, private keys),
and a password written in a connection string (``postgresql://user:pass@host/db``).

Values that are names rather than secrets are left alone: empty strings, placeholders
(``{password}``, ``%(pw)s``, ``$TOKEN``, ``<secret>``, ``***``), environment variable names,
identifiers and file paths. Test code is skipped: fixtures hold made-up secrets on purpose.
"""

from __future__ import annotations

import re

# Strings shorter than this are never tokens of a known format or connection strings.
MIN_TOKEN = 16
_SECRET_NAME = re.compile(
    r"(?:^|_)(?:password|passwd|pwd|passphrase|secret|api_?key|secret_?key|private_?key|access_?key"
    r"|auth_?key|signing_?key|encryption_?key|client_?secret|access_?token|auth_?token|api_?token"
    r"|bearer_?token|secret_?token|refresh_?token|github_?token|slack_?token)$",
    re.IGNORECASE,
)
_TOKENS = (
    ("an AWS access key id", re.compile(r"\A(?:AKIA|ASIA)[0-9A-Z]{16}\Z")),
    ("a GitHub token", re.compile(r"\Agh[pousr]_[A-Za-z0-9]{36,}\Z")),
    ("a GitHub token", re.compile(r"\Agithub_pat_[A-Za-z0-9_]{60,}\Z")),
    ("a Slack token", re.compile(r"\Axox[abposr]-[A-Za-z0-9-]{10,}\Z")),
    ("a Stripe secret key", re.compile(r"\A[sr]k_live_[A-Za-z0-9]{20,}\Z")),
    ("a Google API key", re.compile(r"\AAIza[0-9A-Za-z_-]{35}\Z")),
    ("a GitLab token", re.compile(r"\Aglpat-[A-Za-z0-9_-]{20,}\Z")),
    ("a private key", re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----")),
)
_TOKEN_STARTS = ("AKIA", "ASIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "sk_live_",
                 "rk_live_", "AIza", "glpat-", "-----BEGIN")  # fmt: skip
_CONNECTION = re.compile(r"\A[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]+:([^@/\s]+)@[^\s]+\Z")
_PLACEHOLDER = re.compile(r"\{[^}]*\}|%\(|%s|\A\$|\A<.*>\Z|\A(?:\*+|x+|\.+|-+|none|null|password|passwd|pass|"
                          r"secret|changeit|your[_-]?\w*|example\w*|dummy|test\w*|fake\w*|redacted)\Z",
                          re.IGNORECASE)  # fmt: skip
# Names rather than secrets: ``secret_key``, ``auth.token``, ``AWS_SECRET_ACCESS_KEY``,
# ``AWSSecretKey``; and patterns, prompts, masks (``[^\W\d]\w*``, ``" * "``, ``":****"``).
_NAME_LIKE = re.compile(r"\A[a-z][a-z0-9]*(?:[._][a-z][a-z0-9]*)+\Z|\A[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\Z"
                        r"|\A[A-Za-z]*[a-z][A-Z][A-Za-z]*\Z|[\\\[\]]|\*\*|\A\W|\W\Z")
_TEST_PARTS = frozenset({"test", "tests", "testing", "fixtures", "conftest.py", "docs", "examples"})


def looks_like_test(path: str) -> bool:
    """A path of test code, fixtures or examples: its secrets are made up."""
    parts = path.lower().split("/")
    name = parts[-1]
    return bool(_TEST_PARTS.intersection(parts)) or name.startswith("test_") or name.endswith("_test.py")


def check_constant(flow, node, value: str) -> None:
    """A string constant anywhere: a token of a known format, or a password in a URL."""
    if not value.startswith(_TOKEN_STARTS) and not ("://" in value and "@" in value):
        return
    if looks_like_test(flow.ctx.path) or "EXAMPLE" in value.upper():
        return
    for what, pattern in _TOKENS:
        if pattern.search(value):
            _report(flow, node, f"{what} is written in the code")
            return
    match = _CONNECTION.match(value)
    if match and not _PLACEHOLDER.search(match.group(1)):
        _report(flow, node, "a connection string holds its password")


def check_named(flow, name: str, value, node) -> None:
    """``SECRET_KEY = "..."``, ``app.secret_key = "..."``, ``password="..."``: a secret by its name."""
    if not isinstance(value.const, str) or not _SECRET_NAME.search(_snake(name)):
        return
    text = value.const.strip()
    if len(text) < 3 or _PLACEHOLDER.search(text) or "/" in text or text.lower() in _snake(name).lower():
        return
    if _NAME_LIKE.match(text):
        return  # an identifier, a setting's name, an environment variable's name
    if looks_like_test(flow.ctx.path):
        return
    _report(flow, node, f"{name} is set to a constant")


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)


def _report(flow, node, message: str) -> None:
    flow.ctx.weakness("hardcoded-secret", node, message, "high", "medium", "a constant")
