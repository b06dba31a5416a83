"""Weaknesses found by resolving what is really called: weak hashes, predictable randomness, cookies.

These need no data flow, but they do need the real callee: ``h = hashlib.new(ALGO)`` with
``ALGO = "md5"``, ``from random import randint as pick``, ``rng = random.Random()``. The
precision comes from what is *not* reported: ``usedforsecurity=False``, ``secrets``,
``random.SystemRandom``, cookies that set both flags.
"""

from __future__ import annotations

from reviewers.security import folding, hardcoded, settings_checks
from reviewers.security.catalog import (
    COOKIE_METHODS,
    HASH_BY_NAME,
    NON_SECRET_HASH_WORDS,
    RANDOM_FUNCTIONS,
    RANDOM_OWNERS,
    SECRET_WORDS,
    WEAK_HASH_CALLS,
    WEAK_HASH_NAMES,
    display,
)

# Where ``secure`` and ``httponly`` sit among set_cookie's positional parameters
# (Flask/Werkzeug, Django and Starlette agree).
_COOKIE_FLAGS = (("secure", 6), ("httponly", 7))
# HMAC constructors, whose digest algorithm is their third argument.
_HMAC_CALLS = frozenset({"hmac.new", "hmac.HMAC", "hmac.digest"})


def check(flow, call) -> None:
    ref = call.ref
    if ref is not None:
        if ref in WEAK_HASH_CALLS:
            _weak_hash(flow, call, WEAK_HASH_CALLS[ref])
        elif ref in HASH_BY_NAME:
            name = call.arg(0, "name")
            if name is not None and isinstance(name.const, str):
                algorithm = WEAK_HASH_NAMES.get(name.const.lower())
                if algorithm is not None:
                    _weak_hash(flow, call, algorithm)
        elif ref in _HMAC_CALLS:
            algorithm = _weak_digestmod(call.arg(2, "digestmod", "digest"))
            if algorithm is not None:
                _weak_hash(flow, call, algorithm)
        else:
            owner, _, function = ref.rpartition(".")
            if function in RANDOM_FUNCTIONS and owner in RANDOM_OWNERS:
                _weak_random(flow, call, ref)
    if call.method in COOKIE_METHODS:
        _cookie(flow, call)
    settings_checks.check_call(flow, call)
    for keyword in call.node.keywords:
        value = call.kwargs.get(keyword.arg) if keyword.arg else None
        if value is not None and isinstance(value.const, str):
            hardcoded.check_named(flow, keyword.arg, value, keyword.value)


def _weak_digestmod(value) -> str | None:
    """The weak algorithm an HMAC is made with: ``hashlib.md5`` or ``"sha1"``."""
    if value is None:
        return None
    if value.ref in WEAK_HASH_CALLS:
        return WEAK_HASH_CALLS[value.ref]
    return WEAK_HASH_NAMES.get(value.const.lower()) if isinstance(value.const, str) else None


def _weak_hash(flow, call, algorithm: str) -> None:
    for_security = call.kwargs.get("usedforsecurity")
    if for_security is not None and folding.truth(for_security.const) is False:
        return
    names = [name.lower() for name in (*flow.assign_targets, *flow.qname.rsplit(".", 2)[1:])]
    naming = any(word in name for name in names for word in NON_SECRET_HASH_WORDS)
    # NOTE: a "key" is a cache key as often as a secret one; the other secret words win.
    if naming and not any(_secret(name, with_key=False) for name in names):
        return  # ``get_cache_key``, ``Sha1Checksum``, ``etag = md5(body)``: nothing to break
    flow.ctx.weakness(
        "weak-hash", call.node,
        f"{algorithm} is a broken hash algorithm ({display(call.ref)}() called here)",
        "medium", "high", f"{display(call.ref)}()",
    )  # fmt: skip


def _weak_random(flow, call, ref: str) -> None:
    names = [name.lower() for name in (*flow.assign_targets, flow.qname.rsplit(".", 1)[-1])]
    secret = any(_secret(name) for name in names)
    if not secret:
        return  # jitter, colours, sampling: predictable is fine where nothing is to be guessed
    where = f" for {flow.assign_targets[0]!r}" if flow.assign_targets else ""
    flow.ctx.weakness(
        "weak-random", call.node,
        f"{display(ref)}() produces predictable values{where}; the random module is not "
        "a source of secrets",
        "medium" if secret else "low", "high" if secret else "medium", f"{display(ref)}()",
    )  # fmt: skip


def _secret(name: str, with_key: bool = True) -> bool:
    """A name for a secret: ``token``, ``reset_code``...; ``key`` only as a word (``api_key``, not ``weight_keys``)."""
    if with_key and ("key" in name.split("_") or name.endswith("key")):
        return True
    return any(word in name for word in SECRET_WORDS if word != "key")


def _cookie(flow, call) -> None:
    if call.star_kwargs:
        return  # the flags may be in the **kwargs: we cannot tell
    if len(call.args) < 2 and not {"key", "value"} & call.kwargs.keys():
        return  # a client cookie jar's set_cookie(cookie), not a response header
    missing = []
    for flag, position in _COOKIE_FLAGS:
        value = call.kwargs.get(flag)
        if value is None and position < len(call.args):
            value = call.args[position]
        if value is None or folding.truth(value.const) is False:
            missing.append(flag)
    if missing:
        flow.ctx.weakness(
            "insecure-cookie", call.node,
            f"cookie set without {' and '.join(missing)}: "
            + ("it is also sent over plain HTTP" if "secure" in missing else "scripts can read it"),
            "medium" if "secure" in missing and "httponly" in missing else "low", "high",
            f"{call.method}()",
        )  # fmt: skip
