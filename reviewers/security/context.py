"""The state of one file's analysis, shared by the dataflow of all its functions."""

from __future__ import annotations

from dataclasses import dataclass, field

from reviewers.security.catalog import SOURCE_KINDS, TRUST
from reviewers.security.ir import FieldWrite, FileSummary, Weakness
from reviewers.security.modules import ModuleIndex, is_package, module_name
from reviewers.security.taint import EMPTY, Taint, source


@dataclass(frozen=True)
class Options:
    """What the analysis looks for; made from the reviewer's settings (see engine.options)."""

    sources: frozenset = frozenset(SOURCE_KINDS)
    # Template name -> the variables it renders unescaped (templates.scan).
    templates: dict = field(default_factory=dict)


class FileContext:
    def __init__(self, path: str, index: ModuleIndex, options: Options):
        self.path = path
        self.module = module_name(path)
        self.package = is_package(path)
        self.index = index
        self.options = options
        self.summary = FileSummary(file=path, module=self.module)
        # The module's global names, as the module-level code leaves them.
        self.globals: dict = {}
        # Names some function rebinds with ``global``: never folded as constants.
        self.rebound_globals: set[str] = set()
        self.frameworks: set[str] = set()
        # Modules imported with ``from module import *``, in order.
        self.star_imports: list[str] = []
        # (class, attribute) -> what the attribute refers to (``self.store = OrderStore()``).
        self.field_refs: dict[tuple[str, str], str] = {}
        # Functions defined at module or class level, analyzed once the module's globals are known.
        self.pending: list = []
        # class -> the framework whose request handler it is, or None (handlers.py)
        self.handler_kinds: dict[str, str | None] = {}
        # function -> the library object it returns (``get_connection`` -> ``sqlite3.connect()``)
        self.returned_refs: dict[str, str] = {}
        # function -> what it validates, for functions of this file (validators.py)
        self.validators: dict = {}
        self._sites = 0
        self._reported: set[tuple] = set()

    def new_site(self) -> int:
        self._sites += 1
        return self._sites

    def source(self, kind: str, node, what: str) -> Taint:
        """Untrusted data of ``kind`` entering at ``node`` (if that kind of source is enabled)."""
        if kind not in self.options.sources:
            return EMPTY
        return source(kind, TRUST[kind], self.path, node.lineno, node.col_offset, what)

    def repo_target(self, ref: str | None) -> tuple[str, bool] | None:
        """``(qualified name, bound)`` when ``ref`` names a function or class of the repository."""
        if not ref or ref.startswith("builtins."):
            return None
        if ref.endswith("()"):
            return None
        owner, dot, method = ref.rpartition("().")
        if dot:
            if "(" in owner or "." in method:
                return None
            found = self.repo_class_of(f"{owner}()")
            return (f"{found}.{method}", True) if found else None
        found = self.index.repo_name(ref, self.module)
        return (found, False) if found else None

    def repo_class_of(self, ref: str | None) -> str | None:
        """The repository class of which ``ref`` is an instance (``pkg.mod.C()``), if any."""
        if not ref or not ref.endswith("()") or "(" in ref[:-2]:
            return None
        found = self.index.repo_name(ref[:-2], self.module)
        # NOTE: what a repository *function* returns is no instance of the repository's
        # (``get_connection()`` returns a DB-API connection): a class is one this file defines, or
        # one named in CapWords, as PEP 8 has them.
        if found is None or found in self.summary.classes or found.rsplit(".", 1)[-1][:1].isupper():
            return found
        return None

    def note_import(self, name: str) -> None:
        top = name.split(".", 1)[0]
        if top in ("flask", "django", "fastapi", "starlette", "rest_framework", "quart", "aiohttp", "bottle",
                   "tornado"):
            self.frameworks.add("django" if top == "rest_framework" else top)

    def weakness(self, rule: str, node, message: str, severity: str, confidence: str, what: str) -> None:
        key = (rule, node.lineno, node.col_offset, node.end_col_offset)
        if key in self._reported:  # a loop body is analyzed more than once
            return
        self._reported.add(key)
        self.summary.weaknesses.append(
            Weakness(rule, self.path, node.lineno, getattr(node, "end_lineno", None) or node.lineno,
                     node.col_offset + 1, message, severity, confidence, what)
        )

    def field_write(self, cls: str, attr: str, function: str, taint: Taint, ref: str | None = None) -> None:
        if ref is not None:
            known = self.field_refs.get((cls, attr), ref)
            self.field_refs[(cls, attr)] = ref if known == ref else ""  # "": refers to several things
        if taint:
            self.summary.fields.append(FieldWrite(cls, attr, function, taint))
