"""The algorithm is chosen by a flag that is on."""
# features: precision-constant-folding, weakness-name-in-variable
import hashlib

LEGACY_CLIENTS = True


def checksum(data: bytes) -> str:
    name = "md5" if LEGACY_CLIENTS else "sha256"
    return hashlib.new(name, data).hexdigest()  # expect: weak-hash
