"""getattr on hashlib with a constant name."""
# features: weakness-name-in-variable
import hashlib


def digest(data: bytes) -> str:
    return getattr(hashlib, "md5")(data).hexdigest()  # expect: weak-hash
