"""The hooks a codepanel plugin can implement. Each is documented in docs/plugins.md."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from framework.reviewer import Reviewer

hookspec = pluggy.HookspecMarker("codepanel")
hookimpl = pluggy.HookimplMarker("codepanel")


@hookspec
def register_reviewers(register: Callable[[type[Reviewer]], None]) -> None:
    """Register reviewer classes by calling ``register(ReviewerClass)`` for each."""
