"""One file, start to end: read it, parse it chunk by chunk, and summarize every function in it.

This is what a worker process runs; only the returned ``FileSummary`` crosses processes.
"""

from __future__ import annotations

import gc
import sys

from reviewers.security import library
from reviewers.security.context import FileContext, Options
from reviewers.security.dataflow import FunctionFlow
from reviewers.security.functions import analyze_function, module_summary
from reviewers.security.ir import FileSummary
from reviewers.security.modules import ModuleIndex, module_name, qualify
from reviewers.security.parsing import CHUNK_BYTES, Skipped, chunks, decode

# Deeply nested code recurses deeply in the analysis too; Python's default of 1000 is too low.
RECURSION_LIMIT = 20_000


def analyze_path(path: str, real_path: str, index: ModuleIndex, options: Options,
                 chunk_bytes: int = CHUNK_BYTES) -> FileSummary:  # fmt: skip
    """The summary of the file ``path`` (relative name) read from ``real_path``."""
    try:
        with open(real_path, "rb") as handle:
            data = handle.read()
        return analyze_source(decode(data), path, index, options, chunk_bytes)
    except Skipped as reason:
        return FileSummary(file=path, module=module_name(path), skipped=str(reason))
    except OSError as error:
        return FileSummary(file=path, module=module_name(path), skipped=f"cannot read: {error.strerror}")
    except Exception as error:  # noqa: BLE001 - one odd file must not sink the whole review
        reason = " ".join(f"{type(error).__name__}: {error}".split())[:200]
        return FileSummary(file=path, module=module_name(path), skipped=f"internal error in the analysis: {reason}")


def analyze_source(text: str, path: str, index: ModuleIndex, options: Options,
                   chunk_bytes: int = CHUNK_BYTES) -> FileSummary:  # fmt: skip
    ctx = FileContext(path, index, options)
    module_flow = FunctionFlow(ctx, qualify(ctx.module, "<module>"), {}, defer=True)
    module_flow.scope = ctx.module
    previous_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous_limit, RECURSION_LIMIT))
    # NOTE: the analysis builds no reference cycles, so the cyclic collector only costs time
    # (it rescans every AST node over and over); reference counting frees everything.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for module in chunks(text, path, chunk_bytes):
            env = ctx.globals
            for statement in module.body:
                env = module_flow.block([statement], env) or env
            ctx.globals = env
            pending, ctx.pending = ctx.pending, []
            for job in pending:
                analyze_function(ctx, job, {})
            del module, pending
    except RecursionError:
        raise Skipped("too deeply nested to analyze") from None
    finally:
        sys.setrecursionlimit(previous_limit)
        if collecting:
            gc.enable()
    ctx.summary.functions.append(module_summary(ctx, module_flow))
    ctx.summary.library_refs = library.exported(ctx)
    return ctx.summary
