"""The rules the security reviewer reports: id, CWE, severity and advice for each."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str
    cwe: int
    # The sanitizer class that protects this sink: a value cleansed for it no longer counts.
    kind: str
    severity: str
    title: str
    recommendation: str
    # A taint rule follows data from a source; a weakness rule is about what is called.
    taint: bool = True
    # Source kinds that are no threat for this sink: a command-line tool opens the files its
    # user or its configuration names on purpose, so argv, input, the environment and file
    # contents do not make a path traversal (an archive's member names do: zip slip); and the
    # browser-side rules (XSS, redirects, the session) are about remote attackers only.
    ignored_sources: frozenset = frozenset()


_LOCAL = frozenset({"argv", "input", "env", "file"})

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule("command-injection", 78, "cmd", "critical", "Command injection",
             "Pass a list of arguments without shell=True, validate the value against an "
             "allow-list, or quote it with shlex.quote."),
        Rule("argument-injection", 88, "cmd", "medium", "Argument injection",
             "Put '--' before values in the argument list, so that none is read as an option, or "
             "validate them against an allow-list (a value starting with '-' is an option).",
             ignored_sources=_LOCAL),
        Rule("code-injection", 94, "code", "critical", "Code injection",
             "Never evaluate or compile data: parse it (json, ast.literal_eval) or map it "
             "through an allow-list."),
        Rule("template-injection", 1336, "template", "critical", "Server-side template injection",
             "Never build a template's source from input: pass the data as the template's context "
             "(render_template_string(SOURCE, name=value)) and load templates from files."),
        Rule("sql-injection", 89, "sql", "high", "SQL injection",
             "Use a parameterized query: pass the values as the second argument of execute()."),
        Rule("path-traversal", 22, "path", "high", "Path traversal",
             "Reduce the name with os.path.basename or secure_filename, or resolve the path "
             "(os.path.realpath, Path.resolve) and check that it starts with the base directory.",
             ignored_sources=_LOCAL),
        Rule("xss", 79, "xss", "high", "Cross-site scripting",
             "Escape the value (html.escape, markupsafe.escape) or render it through an "
             "auto-escaping template.", ignored_sources=_LOCAL),
        Rule("open-redirect", 601, "redirect", "medium", "Open redirect",
             "Redirect only to URLs built with url_for, or check the target against an allow-list "
             "(url_has_allowed_host_and_scheme).", ignored_sources=_LOCAL),
        Rule("ssrf", 918, "ssrf", "high", "Server-side request forgery",
             "Do not let input choose where the server connects: keep the scheme and host constant, "
             "or check the parsed host against an allow-list before the request.", ignored_sources=_LOCAL),
        Rule("header-injection", 113, "header", "medium", "HTTP header injection",
             "Remove CR and LF from values put in response headers, or validate them against an "
             "allow-list.", ignored_sources=_LOCAL),
        Rule("xpath-injection", 643, "xpath", "high", "XPath injection",
             "Pass values as XPath variables (tree.xpath('//a[@id=$id]', id=value))."),
        Rule("ldap-injection", 90, "ldap", "high", "LDAP injection",
             "Escape values with escape_filter_chars / escape_dn_chars before building the filter."),
        Rule("unsafe-deserialization", 502, "deser", "critical", "Unsafe deserialization",
             "Load untrusted data with a data-only format (json, yaml.safe_load), never pickle, "
             "marshal or yaml.load with an unsafe loader."),
        Rule("xxe", 611, "xxe", "high", "XML external entities",
             "Parse untrusted XML with defusedxml, or with an lxml XMLParser(resolve_entities=False)."),
        Rule("trust-boundary", 501, "session", "medium", "Trust boundary violation",
             "Validate the value (type, allow-list) before storing it in the session.",
             ignored_sources=_LOCAL),
        Rule("weak-hash", 328, "", "medium", "Weak hash algorithm",
             "Use hashlib.sha256 or stronger, or pass usedforsecurity=False when the hash "
             "protects nothing.", taint=False),
        Rule("weak-random", 330, "", "low", "Predictable random values",
             "Use the secrets module (secrets.token_urlsafe, secrets.choice) or random.SystemRandom "
             "for anything an attacker must not guess.", taint=False),
        Rule("insecure-cookie", 614, "", "medium", "Cookie without Secure/HttpOnly",
             "Set the cookie with secure=True and httponly=True.", taint=False),
        Rule("autoescape-disabled", 79, "", "medium", "Template auto-escaping disabled",
             "Keep auto-escaping on (Jinja2 autoescape=select_autoescape(), no {% autoescape off %}); "
             "mark only trusted, already escaped markup as safe.", taint=False),
        Rule("hardcoded-secret", 798, "", "high", "Hard-coded secret",
             "Read secrets from the environment or a secret store at run time; rotate the one "
             "committed here.", taint=False),
        Rule("debug-enabled", 489, "", "high", "Debug mode enabled",
             "Never enable debug mode or the interactive debugger where the application is "
             "deployed: read the flag from the environment, off by default.", taint=False),
        Rule("csrf-disabled", 352, "", "medium", "CSRF protection disabled",
             "Keep CSRF protection on for every state-changing view; exempt only endpoints "
             "authenticated otherwise (tokens in headers), and say so.", taint=False),
        Rule("tls-unverified", 295, "", "high", "TLS certificate verification disabled",
             "Keep certificate and host name verification on; trust a private CA with "
             "verify='/path/ca.pem' or cafile= instead of turning checks off.", taint=False),
    )
}  # fmt: skip

# Every sanitizer class, for sanitizers that protect against everything (numeric casts, allow-lists).
ALL_KINDS = frozenset(rule.kind for rule in RULES.values() if rule.kind)
