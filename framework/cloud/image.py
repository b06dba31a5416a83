"""The functions' image: its build context, assembled in the project's ``.codepanel-image/`` folder.

    .codepanel-image/
      Dockerfile                 framework/cloud/Dockerfile
      requirements.txt           codepanel's requirements, pinned to the versions installed here
      project-requirements.txt   the project's requirements.txt (what its plugins need), or empty
      codepanel/                 the installed codepanel itself: the framework and reviewers packages
      project/reviewers.yaml     the project's config
      project/reviewers/         the project's plugins, unless they are the built-in package (a checkout)
      plugins/                   cloud.plugins_dir, when it is set
      MANIFEST.txt               every file above, and the Python packages the image installs

Only what is listed is copied, and only sources and data: no ``__pycache__``, no hidden files, no
workspace, no credentials. Every file is made 0644 and every folder 0755, whatever they were in
the project, so that the functions' runtime user (not root) can read them.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framework.config.project import PLUGINS_FOLDER
from framework.errors import CodepanelError
from framework.panel import Panel
from framework.plugins import ENTRY_POINT_GROUP

DISTRIBUTION = "codepanel"
PACKAGES = ("framework", "reviewers")
# Where the image puts what it is given (see the Dockerfile); the template points the functions there.
IMAGE_PROJECT_PLUGINS = "/opt/codepanel/project/reviewers"
IMAGE_PLUGINS_DIR = "/opt/codepanel/plugins"
MANIFEST = "MANIFEST.txt"
FILE_MODE, FOLDER_MODE = 0o644, 0o755
SKIPPED_SUFFIXES = (".pyc", ".pyo")
EXTRA_MARKER = re.compile(r"extra\s*==\s*['\"]([^'\"]+)['\"]")
REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?")
DOCKERFILE = Path(__file__).resolve().parent / "Dockerfile"


@dataclass
class BuildContext:
    root: Path
    files: list[str] = field(default_factory=list)
    # What will not reach the image, and why, one line each.
    warnings: list[str] = field(default_factory=list)
    project_plugins: bool = False
    # A digest of every file's path and content: the image's tag, so that any change is a new image.
    digest: str = "latest"


def assemble(panel: Panel, root: Path) -> BuildContext:
    """Write the build context of ``panel``'s image into ``root`` (the project's .codepanel-image/)."""
    project_root = panel.project.require("deploy")
    _clear(root)
    context = BuildContext(root)
    _copy_file(DOCKERFILE, root / "Dockerfile", context)
    for package in PACKAGES:
        _copy_tree(installed_package(package), root / "codepanel" / package, context)
    # The extras of the configured models' providers too: "needs the anthropic extra" never happens on AWS.
    requirements = pinned_requirements(model_extras(panel.config))
    _write(root / "requirements.txt", "".join(f"{line}\n" for line in requirements), context)
    project_requirements = project_root / "requirements.txt"
    text = project_requirements.read_text(encoding="utf-8") if project_requirements.is_file() else ""
    context.warnings += requirement_warnings(text)
    _write(root / "project-requirements.txt", text, context)
    _copy_file(panel.config_path, root / "project" / "reviewers.yaml", context)
    plugins = panel.sources.project
    if plugins is not None and plugins.resolve() != installed_package("reviewers").resolve():
        _copy_tree(plugins, root / "project" / PLUGINS_FOLDER, context)
        context.project_plugins = True
    _mkdir(root / "project" / PLUGINS_FOLDER)
    _mkdir(root / "plugins")
    if panel.config.cloud.plugins_dir:
        _copy_tree(panel.project.resolve(panel.config.cloud.plugins_dir), root / "plugins", context)
    context.warnings += entry_point_warnings(text)
    _write(root / MANIFEST, "".join(f"{name}\n" for name in sorted([*context.files, MANIFEST])), context)
    for folder, _, files in os.walk(root):
        os.chmod(folder, FOLDER_MODE)  # the folders made along the way too, whatever the umask
        for name in files:
            os.chmod(os.path.join(folder, name), FILE_MODE)
    context.digest = context_digest(root, context.files)
    return context


def context_digest(root: Path, files: list[str]) -> str:
    """The first 16 hex digits of a SHA-256 over the context's files, paths and contents, in order."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256((root / name).read_bytes()).digest())
    return digest.hexdigest()[:16]


def installed_package(name: str) -> Path:
    """The folder of the installed (or checked-out) package ``name`` that this process runs."""
    import importlib

    return Path(importlib.import_module(name).__file__).resolve().parent


def model_extras(config: Any) -> list[str]:
    """The codepanel extras (anthropic, openai, ollama) that the panel's models need in the image."""
    from framework.agents.providers import EXTRAS

    models = [config.defaults.model, *(config.resolved(name).model for name in config.enabled_names())]
    return sorted({model.provider for model in models if model.provider in EXTRAS})


def pinned_requirements(extras: list[str] | tuple[str, ...] = ()) -> list[str]:
    """codepanel's own requirements and those of ``extras``, each pinned to the version installed here."""
    try:
        requires = importlib.metadata.requires(DISTRIBUTION) or []
    except importlib.metadata.PackageNotFoundError:
        raise CodepanelError("codepanel is not installed as a package here: `pip install -e .` in the checkout") from None
    pinned = []
    for requirement in requires:
        extra = EXTRA_MARKER.search(requirement)
        if extra and extra[1] not in extras:
            continue
        match = REQUIREMENT_NAME.match(requirement)
        name, wanted = match[1], match[2] or ""
        try:
            pinned.append(f"{name}{wanted}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            pinned.append(requirement.split(";")[0].strip())
    return pinned


def requirement_names(text: str) -> set[str]:
    """The normalized distribution names a requirements file names."""
    names = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-") and (match := REQUIREMENT_NAME.match(line)):
            names.add(_normalized(match[1]))
    return names


def requirement_warnings(text: str) -> list[str]:
    warnings = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if line.startswith(("-e", "--editable", "-r", "--requirement", "-c", ".", "/", "file:")):
            warnings.append(
                f"requirements.txt line {number}: {line!r} names a local file or folder, which the image "
                "build cannot see; name a package from an index instead"
            )
    return warnings


def entry_point_warnings(requirements_text: str) -> list[str]:
    """A line for each entry-point plugin whose distribution the project's requirements.txt does not name."""
    named = requirement_names(requirements_text)
    warnings = []
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = entry_point.dist
        if dist is None or _normalized(dist.name) == DISTRIBUTION or _normalized(dist.name) in named:
            continue
        warnings.append(
            f"entry-point plugin {entry_point.name!r} ({dist.name} {dist.version}) will not be in the image: "
            f"it is installed here, but only what requirements.txt names is installed there; "
            f"add {dist.name}=={dist.version} to requirements.txt"
        )
    return warnings


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _clear(root: Path) -> None:
    """Empty ``root`` for a new context; refuse a folder codepanel did not make."""
    if root.exists():
        if not (root / MANIFEST).is_file():
            raise CodepanelError(f"{root} exists and is not a build context codepanel made: move it away")
        shutil.rmtree(root)
    _mkdir(root)


def _mkdir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, FOLDER_MODE)


def _copy_tree(source: Path, destination: Path, context: BuildContext) -> None:
    if not source.is_dir():
        raise CodepanelError(f"{source}: no such folder to put in the image")
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        if path.is_symlink() or path.suffix in SKIPPED_SUFFIXES:
            continue
        if path.is_dir():
            _mkdir(destination / relative)
        elif path.is_file():
            _copy_file(path, destination / relative, context)


def _copy_file(source: Path, destination: Path, context: BuildContext) -> None:
    _mkdir(destination.parent)
    shutil.copyfile(source, destination)
    os.chmod(destination, FILE_MODE)
    context.files.append(destination.relative_to(context.root).as_posix())


def _write(destination: Path, text: str, context: BuildContext) -> None:
    _mkdir(destination.parent)
    destination.write_text(text, encoding="utf-8")
    os.chmod(destination, FILE_MODE)
    context.files.append(destination.relative_to(context.root).as_posix())
