"""What a review covers and reports, from the command line into the run's request.

``--diff BASE_REF`` becomes the diff scope (``framework.diff``), ``--baseline FILE`` the
baseline's absolute path, checked before the review starts (``framework.baseline``), and
``--no-cache`` switches the result cache off (``framework.cache``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def request_options(
    target: str,
    diff_base: str | None = None,
    whole_files: bool = False,
    baseline_file: str | None = None,
    cache: bool = True,
) -> dict[str, Any]:
    from framework.errors import CodepanelError
    from framework.triage import baseline, diff

    options: dict[str, Any] = {"cache": cache}
    if whole_files and not diff_base:
        raise CodepanelError("--diff-whole-files needs --diff BASE_REF")
    if diff_base:
        options["diff"] = diff.changed_lines(target, diff_base, whole_files)
    if baseline_file:
        baseline.load(
            baseline_file
        )  # a missing or malformed file is an error now, not after the review
        options["baseline"] = str(Path(baseline_file).resolve())
    return options
