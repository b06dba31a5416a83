"""The engine's entry point: plan the files, summarize them (in parallel), resolve, report.

Files are summarized in worker processes when ``workers`` > 1; each worker returns only
small summaries (ir.py), and the results are put back in file order, so the findings are the
same whatever the number of workers.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from framework import PathRefused
from reviewers.security import report, templates
from reviewers.security.context import Options
from reviewers.security.ir import FileSummary
from reviewers.security.module import analyze_path
from reviewers.security.modules import ModuleIndex, module_name
from reviewers.security.resolve import Program
from reviewers.security.settings import SecuritySettings

# Below this many files, starting processes costs more than it saves.
MIN_FILES_PER_WORKER = 4


@dataclass
class Outcome:
    findings: list[dict[str, Any]]
    skipped: list[dict[str, str]] = field(default_factory=list)
    files: int = 0
    workers: int = 1


@dataclass(frozen=True)
class Settings:
    workers: int
    options: Options
    chunk_bytes: int


def settings_from(raw: SecuritySettings | dict[str, Any] | None) -> Settings:
    """The reviewer's ``settings:``, validated; errors name the key, what was expected, what was found."""
    if not isinstance(raw, SecuritySettings):
        raw = SecuritySettings.checked(raw)
    return Settings(raw.workers, Options(frozenset(raw.sources)), raw.chunk_bytes)


def review(tree, raw_settings: SecuritySettings | dict[str, Any] | None = None) -> Outcome:
    """Analyze the Python files of ``tree`` (a framework SourceTree)."""
    settings = settings_from(raw_settings)
    unsafe_variables, template_weaknesses = templates.scan(tree)
    if unsafe_variables:
        settings = dataclasses.replace(settings, options=dataclasses.replace(settings.options, templates=unsafe_variables))
    plan, skipped = _plan(tree)
    workers = min(settings.workers, max(1, len(plan) // MIN_FILES_PER_WORKER))
    summaries = summarize(plan, settings, workers)
    skipped.extend({"path": summary.file, "reason": summary.skipped} for summary in summaries if summary.skipped)
    program = Program([summary for summary in summaries if not summary.skipped])
    weaknesses = template_weaknesses + [weakness for summary in summaries for weakness in summary.weaknesses]
    findings = report.findings(program.source_hits(), weaknesses, program.untraced_hits())
    skipped.sort(key=lambda item: item["path"])
    return Outcome(findings, skipped, files=len(plan), workers=workers)


def _plan(tree) -> tuple[list[tuple[str, str, int]], list[dict[str, str]]]:
    plan, skipped = [], []
    # Stubs (.pyi) hold no code that runs: only modules are analyzed.
    for path in sorted(name for name in tree.python_files() if name.endswith(".py")):
        try:
            real = tree.resolve(path)
            size = real.stat().st_size
        except (PathRefused, OSError) as error:
            skipped.append({"path": path, "reason": f"cannot read: {error}"})
            continue
        if size > tree.max_file_bytes:
            skipped.append({"path": path, "reason": f"larger than max_file_bytes ({size} > {tree.max_file_bytes} bytes)"})
            continue
        plan.append((path, str(real), size))
    return plan, skipped


def summarize(plan: list[tuple[str, str, int]], settings: Settings, workers: int) -> list[FileSummary]:
    modules = [module_name(path) for path, _, _ in plan]
    if workers > 1:
        try:
            return _in_processes(plan, modules, settings, workers)
        except (OSError, NotImplementedError, BrokenProcessPool):
            pass  # no process support here (AWS Lambda has no /dev/shm): do it in this process
    index = ModuleIndex(modules, _paths(plan, modules))
    return [analyze_path(path, real, index, settings.options, settings.chunk_bytes) for path, real, _ in plan]


def _in_processes(plan, modules, settings: Settings, workers: int) -> list[FileSummary]:
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    # Largest files first, so that no worker is left with a big one at the end.
    order = sorted(range(len(plan)), key=lambda index: (-plan[index][2], index))
    paths = _paths(plan, modules)
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                             initializer=_start_worker, initargs=(modules, paths, settings)) as pool:  # fmt: skip
        results = pool.map(_work, [plan[index][:2] for index in order], chunksize=1)
        by_index = dict(zip(order, results, strict=True))
    return [by_index[index] for index in range(len(plan))]


_WORKER: dict[str, Any] = {}


def _paths(plan, modules: list[str]) -> dict[str, str]:
    return {module: real for module, (_, real, _) in zip(modules, plan, strict=True)}


def _start_worker(modules: list[str], paths: dict[str, str], settings: Settings) -> None:
    _WORKER["index"] = ModuleIndex(modules, paths)
    _WORKER["settings"] = settings


def _work(task: tuple[str, str]) -> FileSummary:
    path, real = task
    settings = _WORKER["settings"]
    return analyze_path(path, real, _WORKER["index"], settings.options, settings.chunk_bytes)
