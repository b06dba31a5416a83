"""Twin of v_md5: usedforsecurity=False says the digest protects nothing (a cache key)."""
# expect: none
# features: sanitizer-usedforsecurity-false
import hashlib


def cache_key(url: str) -> str:
    return hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
