"""How long `codepanel generate` and the template checks take as the panel grows, and how big it gets.

Prints, for panels of 2 reviewers up to the most that fit (API on, new VPC): the time to render the
template, to translate it with aws-sam-translator, to lint it with cfn-lint, its size, and its
resource count after translation (CloudFormation allows 500 per stack).

    python benchmarks/cloud_template.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "cloud"))

from cloud_helpers import parse, translate

from framework import config
from framework.cloud import template


def panel(size: int) -> config.Config:
    reviewers = "".join(
        f"  r{index}:\n    plugin: security\n    model: bedrock:us.anthropic.claude-sonnet-4-20250514-v1:0\n"
        for index in range(size)
    )
    return config.parse(f"reviewers:\n{reviewers}cloud:\n  api:\n    enabled: true\n")


def largest_panel() -> int:
    """The most reviewers whose functions' map fits in the orchestrator's environment."""
    cloud = panel(1).cloud
    return max(
        n
        for n in range(1, 200)
        if template.orchestrator_environment_bytes([f"r{i}" for i in range(n)], cloud)
        <= template.LAMBDA_ENVIRONMENT_BYTES
    )


def timed(func, *args):
    started = time.perf_counter()
    result = func(*args)
    return result, time.perf_counter() - started


def main() -> None:
    from cfnlint.api import ManualArgs, lint

    print(
        f"{'reviewers':>9} {'render ms':>10} {'translate ms':>13} {'cfn-lint s':>11} {'KiB':>6} {'resources':>10}"
    )
    for size in (2, 10, 20, largest_panel()):
        text, render_seconds = timed(template.render, panel(size))
        translated, translate_seconds = timed(translate, parse(text), "us-east-1")
        matches, lint_seconds = timed(
            lambda t: lint(t, config=ManualArgs(regions=["us-east-1"])), text
        )
        assert not matches, matches[:3]
        print(
            f"{size:>9} {render_seconds * 1000:>10.1f} {translate_seconds * 1000:>13.1f} {lint_seconds:>11.2f} "
            f"{len(text.encode()) / 1024:>6.0f} {len(translated['Resources']):>10}"
        )


if __name__ == "__main__":
    main()
