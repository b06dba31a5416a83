"""Running ruff on the files of one scope: its vetted configuration, overrides, a bare environment, batches."""

from __future__ import annotations

import json
import os
import posixpath
import re
import subprocess
from pathlib import Path
from typing import Any

from framework import SourceTree
from reviewers.style.ruff_config import Scope

RUFF_BATCH = 2000
# All ruff gets of the environment: no secret it could expand into a message, none of the RUFF_*
# variables (RUFF_CACHE_DIR, RUFF_OUTPUT_FILE...), no HOME or XDG_CONFIG_HOME for a user's config.
RUFF_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR", "TEMP", "TMP")


class RuffFailed(Exception):
    """ruff exited with an error: most often a configuration it refuses."""


def run_ruff(
    tree: SourceTree, scope: Scope, folder: Path, select: list[str] | None, ignore: list[str] | None,
    line_length: int | None,
) -> list[dict[str, Any]]:
    """ruff's JSON for ``scope``'s files, with its configuration (written into ``folder``) and these overrides."""
    from ruff.__main__ import find_ruff_bin

    folder.mkdir()
    command = [
        find_ruff_bin(), "check", "--output-format=json", "--exit-zero", "--no-cache", "--no-fix",
        "--force-exclude", f"--config={scope.write(folder)}",
    ]  # fmt: skip
    if select is not None:
        command.append(f"--select={','.join(select)}")
    if ignore:
        command.append(f"--ignore={','.join(ignore)}")
    if line_length is not None:
        command.append(f"--line-length={line_length}")
    cwd = tree.resolve(scope.folder) if scope.folder else tree.root
    env = {key: os.environ[key] for key in RUFF_ENVIRONMENT if key in os.environ}
    paths = [posixpath.relpath(path, scope.folder) if scope.folder else path for path in scope.files]
    items = []
    # In batches, so that tens of thousands of paths never overflow the command line.
    for start in range(0, len(paths), RUFF_BATCH):
        completed = subprocess.run(
            [*command, "--", *paths[start : start + RUFF_BATCH]], cwd=cwd, env=env, capture_output=True,
            timeout=600, check=False,
        )  # fmt: skip
        if completed.returncode != 0:
            raise RuffFailed(_cause(completed.stderr.decode(errors="replace")))
        items.extend(json.loads(completed.stdout or b"[]"))
    return items


def _cause(stderr: str) -> str:
    """ruff's reason, without the temporary files' names."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip().startswith("Cause:")]
    text = " ".join(line.removeprefix("Cause:").strip() for line in lines[-2:]) or stderr.strip()[-300:]
    return re.sub(r"`?/[^`\s]*codepanel-ruff-[^`\s]*`?", "(its copy)", text)[:300]
