"""The credentials of a clone URL, held in this process's memory and nowhere else.

A local review records its request on disk: ``request.json`` and the durable execution's store,
which keeps the execution's input so that an interrupted run can be resumed. So the request
carries the URL without its credentials (``hold``), and the fetch in this same process gets them
back (``restore``). A run interrupted before its clone finished cannot get them back: start the
review again. (On AWS the request, credentials included, is the orchestrator's event; see
docs/threat-model.md.)
"""

from __future__ import annotations

import threading

from framework.source.policy import redact

_held: dict[str, str] = {}
_lock = threading.Lock()


def hold(url: str) -> str:
    """``url`` without its credentials; they stay in memory for ``restore``."""
    bare = redact(url)
    if bare != url:
        with _lock:
            _held[bare] = url
    return bare


def restore(url: str) -> str:
    """The URL ``hold`` was given for ``url``, if this process holds one; else ``url``."""
    with _lock:
        return _held.get(url, url)
