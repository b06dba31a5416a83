"""hashlib.new with an upper-case algorithm name."""
# features: weakness-name-in-variable
import hashlib


def legacy_digest(data: bytes) -> str:
    return hashlib.new("MD5", data).hexdigest()  # expect: weak-hash
