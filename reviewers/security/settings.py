"""The security reviewer's ``settings:`` in reviewers.yaml, validated when the config is loaded."""

from __future__ import annotations

import os
from typing import Any

from pydantic import Field, field_validator

from framework import ReviewerSettings

# The smallest chunk a long module is parsed in (see parsing.CHUNK_BYTES for the default).
MIN_CHUNK_BYTES = 1_000


def _source_kinds() -> tuple[str, ...]:
    from reviewers.security.catalog import SOURCE_KINDS  # the catalog loads only when it is needed

    return SOURCE_KINDS


def _chunk_bytes() -> int:
    from reviewers.security.parsing import CHUNK_BYTES

    return CHUNK_BYTES


class SecuritySettings(ReviewerSettings):
    # Processes that summarize files in parallel; the machine's cores by default.
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1)
    # Which kinds of input count as untrusted.
    sources: list[str] = Field(default_factory=lambda: list(_source_kinds()))
    # Modules longer than this are parsed a top-level statement group at a time.
    chunk_bytes: int = Field(default_factory=_chunk_bytes)

    @field_validator("workers", mode="before")
    @classmethod
    def _workers(cls, value: Any) -> Any:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"expected a positive integer, got {value!r}")
        return value

    @field_validator("sources", mode="before")
    @classmethod
    def _sources(cls, value: Any) -> Any:
        kinds = _source_kinds()
        if not isinstance(value, list) or any(kind not in kinds for kind in value):
            raise ValueError(f"expected a list of {', '.join(kinds)}, got {value!r}")
        return value

    @field_validator("chunk_bytes", mode="before")
    @classmethod
    def _chunk(cls, value: Any) -> Any:
        if not isinstance(value, int) or isinstance(value, bool) or value < MIN_CHUNK_BYTES:
            raise ValueError(f"expected an integer of at least {MIN_CHUNK_BYTES}, got {value!r}")
        return value
