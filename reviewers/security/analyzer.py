"""A first analyzer: calls that are dangerous whatever flows into them, resolved through imports."""

from __future__ import annotations

import ast
from typing import Any

# qualified name -> (rule id, CWE, severity, message, recommendation)
DANGEROUS_CALLS: dict[str, tuple[str, int, str, str, str]] = {
    "builtins.eval": ("code-injection", 94, "high", "eval() of a non-constant expression",
                      "Parse the data (json, ast.literal_eval) instead of evaluating it."),
    "builtins.exec": ("code-injection", 94, "high", "exec() of non-constant code",
                      "Do not execute code built at run time."),
    "os.system": ("command-injection", 78, "high", "os.system() with a non-constant command",
                  "Use subprocess.run with a list of arguments and no shell."),
    "os.popen": ("command-injection", 78, "high", "os.popen() with a non-constant command",
                 "Use subprocess.run with a list of arguments and no shell."),
    "pickle.loads": ("unsafe-deserialization", 502, "high", "pickle can run code while loading data",
                     "Load untrusted data with json or another data-only format."),
    "pickle.load": ("unsafe-deserialization", 502, "high", "pickle can run code while loading data",
                    "Load untrusted data with json or another data-only format."),
    "marshal.loads": ("unsafe-deserialization", 502, "medium", "marshal is not safe for untrusted data",
                      "Load untrusted data with json or another data-only format."),
    "hashlib.md5": ("weak-hash", 328, "medium", "MD5 is broken as a security hash",
                    "Use hashlib.sha256, or pass usedforsecurity=False for non-security uses."),
    "hashlib.sha1": ("weak-hash", 328, "medium", "SHA-1 is broken as a security hash",
                     "Use hashlib.sha256, or pass usedforsecurity=False for non-security uses."),
}  # fmt: skip
SHELL_CALLS = {"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen"}


def analyze_source(text: str, path: str) -> list[dict[str, Any]]:
    try:
        module = ast.parse(text, filename=path)
    except (SyntaxError, ValueError):
        return []
    aliases = _import_aliases(module)
    issues = []
    for node in ast.walk(module):
        if not isinstance(node, ast.Call):
            continue
        name = _qualified(node.func, aliases)
        if name in DANGEROUS_CALLS and _worth_reporting(name, node):
            rule, cwe, severity, message, advice = DANGEROUS_CALLS[name]
            issues.append(_issue(path, node, rule, cwe, severity, message, advice))
        elif name in SHELL_CALLS and _shell_true(node) and node.args and not _constant(node.args[0]):
            issues.append(_issue(path, node, "command-injection", 78, "high",
                                 f"{name}() runs a non-constant command through the shell",
                                 "Pass a list of arguments and drop shell=True."))  # fmt: skip
        elif name == "yaml.load" and not _safe_yaml_loader(node, aliases):
            issues.append(_issue(path, node, "unsafe-deserialization", 502, "high",
                                 "yaml.load without a safe loader can build arbitrary objects",
                                 "Use yaml.safe_load."))  # fmt: skip
    return issues


def _issue(path, node, rule, cwe, severity, message, advice) -> dict[str, Any]:
    return {
        "rule_id": rule, "cwe": cwe, "severity": severity, "confidence": "medium",
        "message": message, "recommendation": advice, "file": path,
        "line": node.lineno, "end_line": getattr(node, "end_lineno", node.lineno),
        "column": node.col_offset + 1,
    }  # fmt: skip


def _import_aliases(module: ast.Module) -> dict[str, str]:
    aliases = {"eval": "builtins.eval", "exec": "builtins.exec"}
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def _qualified(func: ast.expr, aliases: dict[str, str]) -> str | None:
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name) or func.id not in aliases:
        return None
    return ".".join([aliases[func.id], *reversed(parts)])


def _constant(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, (ast.List, ast.Tuple)):
        return all(_constant(item) for item in node.elts)
    return False


def _keyword(node: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in node.keywords if kw.arg == name), None)


def _shell_true(node: ast.Call) -> bool:
    value = _keyword(node, "shell")
    return isinstance(value, ast.Constant) and value.value is True


def _worth_reporting(name: str, node: ast.Call) -> bool:
    if name.startswith("hashlib."):
        flag = _keyword(node, "usedforsecurity")
        return not (isinstance(flag, ast.Constant) and flag.value is False)
    if name.startswith(("builtins.", "os.")):
        return bool(node.args) and not _constant(node.args[0])
    return True


def _safe_yaml_loader(node: ast.Call, aliases: dict[str, str]) -> bool:
    loader = _keyword(node, "Loader") or (node.args[1] if len(node.args) > 1 else None)
    if loader is None:
        return False
    name = _qualified(loader, aliases) or ""
    return name.endswith(("SafeLoader", "CSafeLoader", "BaseLoader"))
