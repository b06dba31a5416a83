"""The reviewed project's ruff configuration, read as data and handed to ruff as vetted files of our own.

ruff's own discovery would read whatever the repository's configuration points at (``extend`` and
``src`` anywhere on the machine, ``cache-dir``, ``$VARIABLES`` expanded in paths), obey
``fix = true`` by rewriting the snapshot, and walk up out of the snapshot to find a configuration.
So the reviewer finds the configurations itself, as ruff does (in each folder ``.ruff.toml``, then
``ruff.toml``, then a ``pyproject.toml`` with ``[tool.ruff]``; the closest one to a file applies,
``extend`` chains included), parses them with tomllib, keeps only the options that change what
ruff reports, and writes them to a temporary folder of its own. ruff then runs with ``--config`` on
that copy, from the configuration's folder, so that relative globs mean what they mean to ruff.
"""

from __future__ import annotations

import posixpath
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framework import PathRefused, SourceTree

# In one folder, ruff takes the first of these that exists (a pyproject.toml only with [tool.ruff]).
CONFIG_NAMES = (".ruff.toml", "ruff.toml", "pyproject.toml")
MAX_CONFIG_BYTES = 512_000
MAX_EXTENDS = 8
# Each configuration is one ruff process; past this many, the files of the others get the defaults.
MAX_SCOPES = 64
# ruff's oldest and newest target versions. A requires-python below the oldest gets the oldest.
OLDEST, NEWEST = (3, 7), (3, 15)

# Options passed as they are: they change what ruff reports and reach nothing outside a file.
PLAIN = {"line-length", "indent-width", "preview", "builtins"}
# Globs, relative to the configuration's folder: matched against paths, never read.
PATTERNS = {"exclude", "extend-exclude", "include", "extend-include"}
PATTERN_TABLES = {"per-file-target-version", "per-file-ignores", "extend-per-file-ignores"}
# Folders ruff looks into to tell first-party imports: kept only inside the snapshot, made absolute.
FOLDERS = {"src", "namespace-packages"}
# How ruff runs rather than what it finds; left out without a word. (extend and target-version
# are followed and resolved here.)
LEFT_OUT = {"cache-dir", "output-format", "output-prefer-rule-codes", "fix", "unsafe-fixes", "fix-only",
            "show-fixes", "required-version", "force-exclude", "respect-gitignore", "format", "analyze",
            "extension", "extend", "target-version"}  # fmt: skip
# [lint] as ruff 0.17 knows it (also accepted, deprecated, at the top level); a plugin's table goes whole.
LINT_PLUGINS = {
    "flake8-annotations", "flake8-bandit", "flake8-boolean-trap", "flake8-bugbear", "flake8-builtins",
    "flake8-comprehensions", "flake8-copyright", "flake8-errmsg", "flake8-quotes", "flake8-self",
    "flake8-tidy-imports", "flake8-type-checking", "flake8-gettext", "flake8-implicit-str-concat",
    "flake8-import-conventions", "flake8-pytest-style", "flake8-unused-arguments", "isort", "mccabe",
    "pep8-naming", "pycodestyle", "pydocstyle", "pyflakes", "pylint", "pyupgrade", "pydoclint", "ruff",
}  # fmt: skip
LINT_PLAIN = {
    "allowed-confusables", "dummy-variable-rgx", "extend-ignore", "extend-select", "extend-fixable",
    "extend-unfixable", "external", "fixable", "ignore", "extend-safe-fixes", "extend-unsafe-fixes",
    "ignore-init-module-imports", "logger-objects", "select", "explicit-preview-rules", "task-tags",
    "typing-modules", "unfixable", "typing-extensions", "future-annotations", "preview",
}  # fmt: skip
# Only under [lint], never at the top level.
LINT_ONLY = {"typing-extensions", "future-annotations", "pydoclint", "ruff"}
TARGET_VERSION = re.compile(r"py3(\d{1,2})")
LOWER_BOUND = re.compile(r"(~=|===|==|>=|>)\s*(\d+)(?:\.(\d+))?")


@dataclass
class ConfigFile:
    """One vetted configuration file: what ruff gets of it, and what was refused."""

    path: str  # relative to the tree's root
    options: dict[str, Any]
    target: tuple[int, int] | None = None  # its target-version, else its project's requires-python
    extends: str | None = None  # the file of the tree it extends, once vetted
    problems: list[str] = field(default_factory=list)

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.path)


@dataclass
class Scope:
    """The files one configuration governs (``config`` None: codepanel's defaults): one ruff run."""

    config: str | None
    folder: str  # ruff's project root and working directory, relative to the tree's root
    chain: list[ConfigFile]  # the configuration, then what it extends; empty when unusable
    target: tuple[int, int] | None
    files: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # why some of it was not used

    @property
    def target_version(self) -> str | None:
        return f"py{self.target[0]}{self.target[1]}" if self.target else None

    def write(self, directory: Path) -> Path:
        """Write the chain as ruff.toml files into ``directory``; returns the one to give ``--config``."""
        paths = [directory / f"{index}.toml" for index in range(len(self.chain) + 1)]
        for index, member in enumerate(self.chain):
            options = rebased(member, self.folder)
            if index + 1 < len(self.chain):
                options["extend"] = str(paths[index + 1])
            paths[index].write_text(to_toml(options), encoding="utf-8")
        # On top of the chain, what holds whatever the project says.
        top: dict[str, Any] = {"respect-gitignore": False, "force-exclude": True}
        if self.target:
            top["target-version"] = self.target_version
        if self.chain:
            top["extend"] = str(paths[0])
        paths[-1].write_text(to_toml(top), encoding="utf-8")
        return paths[-1]


class Configurations:
    """The ruff configurations of a tree, found on disk (not only among the reviewed files) and vetted."""

    def __init__(self, tree: SourceTree):
        self.tree = tree
        self._closest: dict[str, str | None] = {}  # folder -> the configuration that applies there
        self._pyproject: dict[str, str | None] = {}  # folder -> the closest pyproject.toml
        self._parsed: dict[str, dict[str, Any] | str] = {}  # path -> its TOML, or why it is unusable

    def scopes(self, paths: list[str]) -> list[Scope]:
        """``paths`` grouped by the configuration that applies to each.

        An unusable configuration is a scope without files, kept so that its problems are reported;
        its files are checked with the defaults.
        """
        configured: dict[str, Scope] = {}
        defaults: dict[tuple[int, int] | None, Scope] = {}
        for path in paths:
            folder = posixpath.dirname(path)
            config = self.closest(folder)
            if config is not None and config not in configured:
                if len(configured) < MAX_SCOPES:
                    configured[config] = self._scope(config)
                else:
                    problem = f"{config}: more than {MAX_SCOPES} ruff configurations; its files get the defaults"
                    configured[config] = Scope(config, posixpath.dirname(config), [], None, problems=[problem])
            scope = configured.get(config) if config is not None else None
            if scope is None or not scope.chain:
                target = self._requires_python(self._closest_pyproject(folder))
                scope = defaults.setdefault(target, Scope(config=None, folder="", chain=[], target=target))
            scope.files.append(path)
        return [*configured.values(), *defaults.values()]

    def closest(self, folder: str) -> str | None:
        """The configuration file that applies in ``folder``: its own, else its parent folder's."""
        if folder not in self._closest:
            found = next((path for path in self._candidates(folder) if self._is_ruff_config(path)), None)
            if found is None and folder:
                found = self.closest(posixpath.dirname(folder))
            self._closest[folder] = found
        return self._closest[folder]

    def _candidates(self, folder: str) -> list[str]:
        return [path for name in CONFIG_NAMES if self._is_file(path := posixpath.join(folder, name))]

    def _is_ruff_config(self, path: str) -> bool:
        if posixpath.basename(path) != "pyproject.toml":
            return True
        parsed = self._toml(path)
        return isinstance(parsed, str) or isinstance(_table(_table(parsed, "tool"), "ruff"), dict)

    def _scope(self, config: str) -> Scope:
        scope = Scope(config=config, folder=posixpath.dirname(config), chain=[], target=None)
        path: str | None = config
        while path is not None:
            if any(member.path == path for member in scope.chain):
                scope.problems.append(f"{path}: the extend chain comes back to it (not followed)")
                break
            if len(scope.chain) == MAX_EXTENDS:
                scope.problems.append(f"{path}: more than {MAX_EXTENDS} configurations extend one another (not followed)")
                break
            member = self._vetted(path)
            if isinstance(member, str):
                scope.problems.append(member)
                break
            scope.chain.append(member)
            scope.problems += member.problems
            path = member.extends
        scope.target = next((member.target for member in scope.chain if member.target), None)
        return scope

    def _vetted(self, path: str) -> ConfigFile | str:
        """What ruff may use of ``path``, or why it is unusable."""
        parsed = self._toml(path)
        if isinstance(parsed, str):
            return parsed
        is_pyproject = posixpath.basename(path) == "pyproject.toml"
        raw = _table(_table(parsed, "tool"), "ruff") if is_pyproject else parsed
        if raw is None:
            raw = {}  # an extended pyproject.toml without [tool.ruff]: nothing to add
        if not isinstance(raw, dict):
            return f"{path}: [tool.ruff] is not a table"
        member = ConfigFile(path=path, options={})
        for key, value in raw.items():
            vet_option(member, key, value, self.tree)
        if "extend" in raw:
            member.extends = self._extended(member, raw["extend"])
        member.target = parse_target_version(raw.get("target-version"))
        if member.target is None:  # as ruff does: the project's requires-python, beside the file
            project = path if is_pyproject else posixpath.join(member.folder, "pyproject.toml")
            member.target = self._requires_python(project if self._is_file(project) else None)
        return member

    def _extended(self, member: ConfigFile, extends: Any) -> str | None:
        where = inside(member.folder, extends) if isinstance(extends, str) else None
        if where is None or not self._is_file(where):
            member.problems.append(f"{member.path}: extend {extends!r} is not a file of the repository (not followed)")
            return None
        return where

    def _closest_pyproject(self, folder: str) -> str | None:
        if folder not in self._pyproject:
            here = posixpath.join(folder, "pyproject.toml")
            if self._is_file(here):
                self._pyproject[folder] = here
            else:
                self._pyproject[folder] = self._closest_pyproject(posixpath.dirname(folder)) if folder else None
        return self._pyproject[folder]

    def _requires_python(self, pyproject: str | None) -> tuple[int, int] | None:
        project = _table(self._toml(pyproject), "project") if pyproject else None
        return lowest_python(project.get("requires-python")) if isinstance(project, dict) else None

    def _is_file(self, path: str) -> bool:
        try:
            return self.tree.resolve(path).is_file()  # resolve refuses a symbolic link on the way
        except PathRefused:
            return False

    def _toml(self, path: str) -> dict[str, Any] | str:
        if path not in self._parsed:
            try:
                data = self.tree.read_bytes(path, MAX_CONFIG_BYTES + 1)
                if len(data) > MAX_CONFIG_BYTES:
                    raise ValueError(f"larger than {MAX_CONFIG_BYTES} bytes")
                self._parsed[path] = tomllib.loads(data.decode("utf-8"))
            except (OSError, PathRefused, ValueError) as error:  # TOMLDecodeError, UnicodeDecodeError
                self._parsed[path] = f"{path}: not readable as TOML ({error})"
        return self._parsed[path]


def vet_option(member: ConfigFile, key: str, value: Any, tree: SourceTree) -> None:
    """Copy the top-level option ``key`` into ``member.options`` if ruff may have it."""
    options = member.options
    if key in LEFT_OUT:
        return
    if not plain_data(value):
        member.problems.append(f"{member.path}: {key} holds a value ruff cannot take (not used)")
    elif key == "lint" and isinstance(value, dict):
        lint = options.setdefault("lint", {})
        for inner, item in value.items():
            _vet_lint_option(member, inner, item, lint, f"lint.{inner}")
    elif key in PLAIN:
        options[key] = value
    elif key in PATTERNS or key == "per-file-target-version":
        _keep_patterns(member, key, value, options, key)
    elif key in FOLDERS and isinstance(value, list):
        kept = [where for item in value if isinstance(item, str) and (where := inside(member.folder, item)) is not None]
        if len(kept) < len(value):
            member.problems.append(f"{member.path}: {key} names folders outside the repository (not used)")
        options[key] = [str(tree.root.joinpath(*folder.split("/"))) if folder else str(tree.root) for folder in kept]
    elif key not in LINT_ONLY:  # [lint]'s options, in their deprecated top-level place
        _vet_lint_option(member, key, value, options, key)
    else:
        member.problems.append(f"{member.path}: unknown ruff option {key!r} (not used)")


def _vet_lint_option(member: ConfigFile, key: str, value: Any, options: dict[str, Any], name: str) -> None:
    if key in ("exclude", "per-file-ignores", "extend-per-file-ignores"):
        _keep_patterns(member, key, value, options, name)
    elif key in LINT_PLAIN or (key in LINT_PLUGINS and isinstance(value, dict)):
        options[key] = value
    else:
        member.problems.append(f"{member.path}: unknown ruff option {name!r} (not used)")


def _keep_patterns(member: ConfigFile, key: str, value: Any, options: dict[str, Any], name: str) -> None:
    """Globs are matched, never read; but ruff expands ``$VARIABLES`` and ``~`` in them."""
    patterns = list(value) if isinstance(value, dict) else value if isinstance(value, list) else [value]
    refused = next((p for p in patterns if isinstance(p, str) and ("$" in p or p.startswith("~"))), None)
    if refused is not None:
        member.problems.append(f"{member.path}: {name} {refused!r} expands variables or a home folder (not used)")
    else:
        options[key] = value


def rebased(member: ConfigFile, folder: str) -> dict[str, Any]:
    """``member``'s options with its relative globs made relative to ``folder``, ruff's working directory.

    NOTE: ruff resolves the globs of every file of an ``extend`` chain given with ``--config``
    against its working directory, while its own discovery resolves each against that file's folder.
    A glob without a ``/`` matches a name anywhere and stays as it is.
    """

    def move(pattern: Any) -> Any:
        if not isinstance(pattern, str):
            return pattern
        negated, bare = pattern.startswith("!"), pattern.removeprefix("!")
        if "/" not in bare.rstrip("/") or bare.startswith("/"):
            return pattern
        moved = posixpath.relpath(posixpath.normpath(posixpath.join(member.folder or ".", bare)), folder or ".")
        return ("!" if negated else "") + moved + ("/" if bare.endswith("/") else "")

    def rebase(options: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in options.items():
            if key in PATTERNS and isinstance(value, list):
                out[key] = [move(item) for item in value]
            elif key in PATTERN_TABLES and isinstance(value, dict):
                out[key] = {move(pattern): item for pattern, item in value.items()}
            elif key == "lint" and isinstance(value, dict):
                out[key] = rebase(value)
            else:
                out[key] = value
        return out

    return dict(member.options) if member.folder == folder else rebase(member.options)


def inside(folder: str, relative: str) -> str | None:
    """``relative`` (from ``folder``) as a path in the tree; None if absolute, outside, or expanded by ruff."""
    relative = relative.replace("\\", "/")
    if not relative or "\0" in relative or "$" in relative or relative.startswith(("~", "/")):
        return None
    joined = posixpath.normpath(posixpath.join(folder or ".", relative))
    if joined == ".":
        return ""
    return None if joined == ".." or joined.startswith("../") else joined


def _table(parsed: Any, key: str) -> Any:
    return parsed.get(key) if isinstance(parsed, dict) else None


def plain_data(value: Any) -> bool:
    """Whether ``value`` is TOML that ruff can be given back: strings, numbers, booleans, lists and tables."""
    if isinstance(value, str | bool | int | float):
        return True
    if isinstance(value, list):
        return all(plain_data(item) for item in value)
    if isinstance(value, dict):
        return all(plain_data(item) for item in value.values())
    return False  # dates and times


def parse_target_version(value: Any) -> tuple[int, int] | None:
    match = TARGET_VERSION.fullmatch(value) if isinstance(value, str) else None
    return _known((3, int(match.group(1)))) if match else None


def lowest_python(requires: Any) -> tuple[int, int] | None:
    """The oldest Python a ``requires-python`` admits, as ruff reads it: ``>=3.10,<4`` is 3.10."""
    if not isinstance(requires, str):
        return None
    bounds = [
        (int(match.group(2)), int(match.group(3) or 0))
        for clause in requires.split(",")
        if (match := LOWER_BOUND.match(clause.strip()))
    ]
    return _known(max(bounds)) if bounds else None


def _known(version: tuple[int, int]) -> tuple[int, int] | None:
    """``version`` within what ruff knows: the oldest for older ones, None (ruff's default) for newer."""
    return None if version > NEWEST else max(version, OLDEST)


def to_toml(options: dict[str, Any]) -> str:
    """``options`` as TOML: one ``key = value`` line each, tables inline."""
    return "".join(f"{_key(key)} = {_value(value)}\n" for key, value in options.items())


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _string(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)  # inf and nan are TOML too
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return "{" + ", ".join(f"{_key(key)} = {_value(item)}" for key, item in value.items()) + "}"


def _string(text: str) -> str:
    """A TOML basic string; every control character escaped, so nothing breaks out of it."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
