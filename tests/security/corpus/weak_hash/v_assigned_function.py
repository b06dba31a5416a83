"""The hash function is held in a variable before it is called."""
# features: weakness-alias, propagation-assignment
import hashlib


def signature(body: bytes) -> str:
    algorithm = hashlib.md5
    return algorithm(body).hexdigest()  # expect: weak-hash
