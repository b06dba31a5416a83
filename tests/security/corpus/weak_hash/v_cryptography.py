"""The cryptography package's MD5."""
# features: weakness-direct-call
from cryptography.hazmat.primitives import hashes


def digest(data: bytes) -> bytes:
    context = hashes.Hash(hashes.MD5())  # expect: weak-hash
    context.update(data)
    return context.finalize()
