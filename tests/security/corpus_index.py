"""The labelled corpus: its cases, what each expects, and running the engine over all of them.

Layout: ``corpus/<class>/<case>.py`` or ``corpus/<class>/<case>/`` (a package, for flows across
modules). A line that must get a finding ends with ``# expect: <rule-id>``; a safe case says
``# expect: none`` in its first lines instead. ``# features: a, b`` names what the case
exercises (docs/security-reviewer.md lists them). A case named ``v_*`` is vulnerable, ``s_*``
is the safe twin of a vulnerable case in the same class, differing by one feature.

``generalization/`` holds a second corpus in the same layout, written differently: cases
modelled on how applications are written with each framework (helpers in other modules,
wrapper classes, templates), for benchmarks/security_generalization.py. Templates (``.html``)
may declare expectations too (``{# expect: <rule-id> #}``).

Shared by tests/security/test_corpus.py and the benchmarks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
GENERALIZATION = Path(__file__).resolve().parent / "generalization"
# The folder of each class, and the rule its cases are about.
CLASSES = {
    "command_injection": "command-injection",
    "code_injection": "code-injection",
    "sql_injection": "sql-injection",
    "path_traversal": "path-traversal",
    "xss": "xss",
    "open_redirect": "open-redirect",
    "xpath_injection": "xpath-injection",
    "ldap_injection": "ldap-injection",
    "unsafe_deserialization": "unsafe-deserialization",
    "xxe": "xxe",
    "trust_boundary": "trust-boundary",
    "weak_hash": "weak-hash",
    "weak_random": "weak-random",
    "insecure_cookie": "insecure-cookie",
}
# The generalization corpus: its folders, and the rule each is mostly about.
GENERAL_CLASSES = {
    **CLASSES,
    "template_injection": "template-injection",
    "ssrf": "ssrf",
    "header_injection": "header-injection",
    "hardcoded_secret": "hardcoded-secret",
    "debug_enabled": "debug-enabled",
    "csrf_disabled": "csrf-disabled",
    "tls_unverified": "tls-unverified",
}
TEMPLATE_SUFFIXES = (".html", ".htm", ".jinja", ".jinja2", ".j2", ".djhtml")
_EXPECT = re.compile(r"#\s*expect:\s*([\w-]+)")
_FEATURES = re.compile(r"#\s*features:\s*(.+)")
_HEADER_LINES = 6


@dataclass
class Case:
    name: str  # "<class>/<case>"
    klass: str
    path: str  # relative to CORPUS: a file, or a folder for a package case
    safe: bool
    expected: set[tuple[str, int, str]] = field(default_factory=set)
    features: list[str] = field(default_factory=list)

    @property
    def rule(self) -> str:
        return GENERAL_CLASSES[self.klass]

    def owns(self, file: str) -> bool:
        return file == self.path or file.startswith(self.path + "/")


def load_cases(root: Path = CORPUS, classes: dict[str, str] = CLASSES) -> list[Case]:
    cases = []
    for klass in classes:
        folder = root / klass
        for entry in sorted(folder.iterdir()) if folder.is_dir() else ():
            if entry.name.startswith(("_", ".")) or not (entry.suffix == ".py" or entry.is_dir()):
                continue
            cases.append(_load(klass, entry, root))
    return cases


def _load(klass: str, entry: Path, root: Path) -> Case:
    relative = entry.relative_to(root).as_posix()
    files = sorted(path for path in entry.rglob("*") if path.suffix in (".py", *TEMPLATE_SUFFIXES)) if entry.is_dir() else [entry]
    case = Case(name=f"{klass}/{entry.stem}", klass=klass, path=relative, safe=False)
    declared_safe = False
    for file in files:
        lines = file.read_text(encoding="utf-8").splitlines()
        name = file.relative_to(root).as_posix()
        for number, line in enumerate(lines, start=1):
            for match in _EXPECT.finditer(line):
                if match.group(1) == "none":
                    declared_safe = declared_safe or number <= _HEADER_LINES
                else:
                    case.expected.add((name, number, match.group(1)))
            features = _FEATURES.search(line)
            if features:
                case.features.extend(part.strip() for part in features.group(1).split(","))
    case.safe = declared_safe
    if declared_safe == bool(case.expected) or entry.stem[:2] != ("s_" if declared_safe else "v_"):
        raise ValueError(f"{relative}: a v_* case needs '# expect: <rule>' lines, an s_* case '# expect: none'")
    return case


def run_engine(workers: int = 1, root: Path = CORPUS) -> list[dict]:
    """The engine's findings over a whole corpus, as keyword dicts (see reviewers/security/report.py)."""
    from framework.tree import SourceTree
    from reviewers.security.engine import review

    files = sorted(path.relative_to(root).as_posix() for path in root.rglob("*")
                   if path.suffix in (".py", *TEMPLATE_SUFFIXES))  # fmt: skip
    outcome = review(SourceTree(root, files), {"workers": workers})
    if outcome.skipped:
        raise AssertionError(f"corpus files were skipped: {outcome.skipped}")
    return outcome.findings
