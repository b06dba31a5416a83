"""Twin of v_cryptography: SHA-256."""
# expect: none
# features: weakness-direct-call
from cryptography.hazmat.primitives import hashes


def digest(data: bytes) -> bytes:
    context = hashes.Hash(hashes.SHA256())
    context.update(data)
    return context.finalize()
