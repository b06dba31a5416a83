"""Fixtures of the cloud tests; the helpers they share are in cloud_helpers.py."""

from __future__ import annotations

import pytest
from cloud_helpers import VARIANTS


@pytest.fixture(params=VARIANTS)
def variant(request) -> str:
    """The name of one reviewers.yaml variant in tests/cloud/variants/."""
    return request.param
