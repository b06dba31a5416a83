"""hashlib.new with the algorithm name held in a module constant."""
# features: weakness-name-in-variable, precision-constant-folding
import hashlib

ALGORITHM = "sha1"


def sign(payload: bytes) -> str:
    digest = hashlib.new(ALGORITHM)  # expect: weak-hash
    digest.update(payload)
    return digest.hexdigest()
