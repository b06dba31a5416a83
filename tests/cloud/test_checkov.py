"""checkov on the rendered template of every variant, and on the Dockerfile: no failed check.

Skipped checks are listed in .checkov.yaml, each with its reason, or inline in the Dockerfile.
checkov runs from its own environment (scripts/checkov.sh), found through $CODEPANEL_CHECKOV.
"""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest
import yaml
from cloud_helpers import REPO, rendered_all

CHECKOV = os.environ.get("CODEPANEL_CHECKOV")
needs_checkov = pytest.mark.skipif(
    not CHECKOV,
    reason="checkov runs from its own environment (its boto3 pin lacks the Lambda durable APIs): "
    "run scripts/checkov.sh, or set CODEPANEL_CHECKOV to a checkov executable",
)


def checkov(path, *options: str) -> dict:
    completed = subprocess.run(
        [CHECKOV, "-f", str(path), "-o", "json", *options],
        check=False, capture_output=True, text=True, timeout=600, cwd=REPO,
    )  # fmt: skip
    assert completed.returncode in (0, 1), completed.stderr[-2000:]
    report = json.loads(completed.stdout)
    return report[0] if isinstance(report, list) else report


@needs_checkov
def test_checkov_finds_nothing_in_the_rendered_template(variant, tmp_path):
    """The root template and its nested stacks' templates, each."""
    passed = 0
    for filename, text in rendered_all(variant).items():
        path = tmp_path / filename
        path.write_text(text)
        report = checkov(path, "--config-file", str(REPO / ".checkov.yaml"))
        failed = [
            (check["check_id"], check["resource"]) for check in report["results"]["failed_checks"]
        ]
        assert failed == [], filename
        passed += report["summary"]["passed"]
    assert passed >= 50  # it did check the templates


@needs_checkov
def test_checkov_finds_nothing_in_the_dockerfile():
    report = checkov(REPO / "framework" / "cloud" / "Dockerfile", "--framework", "dockerfile", "--skip-download")
    assert report["results"]["failed_checks"] == []
    assert (report["summary"]["failed"], report["summary"]["skipped"]) == (0, 2)
    assert report["summary"]["passed"] >= 30


def test_the_dockerfile_says_why_it_skips_checks():
    skips = re.findall(
        r"^# checkov:skip=(CKV_DOCKER_\d+): (.+)$", (REPO / "framework" / "cloud" / "Dockerfile").read_text(), re.MULTILINE
    )
    assert [check for check, _ in skips] == ["CKV_DOCKER_2", "CKV_DOCKER_3"]
    assert all(len(reason) > 40 for _, reason in skips)


def test_every_skipped_check_is_listed_with_its_reason():
    text = (REPO / ".checkov.yaml").read_text()
    skipped = yaml.safe_load(text)["skip-check"]
    assert skipped, "nothing is skipped: then remove this test's expectations"
    for check in skipped:
        (line,) = [line for line in text.splitlines() if re.match(rf"\s*-\s*{check}\b", line)]
        reason = line.partition("#")[2].strip()
        assert len(reason) > 40, f"{check} needs a reason on its line"
        assert check in (REPO / "docs" / "deploy.md").read_text(), (
            f"{check} is not explained in docs/deploy.md"
        )
