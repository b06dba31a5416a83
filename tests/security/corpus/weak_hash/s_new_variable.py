"""Twin of v_new_variable: the constant names SHA-256."""
# expect: none
# features: weakness-name-in-variable
import hashlib

ALGORITHM = "sha256"


def sign(payload: bytes) -> str:
    digest = hashlib.new(ALGORITHM)
    digest.update(payload)
    return digest.hexdigest()
