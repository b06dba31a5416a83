"""Twin of v_legacy_branch: the flag is off, so the name is SHA-256."""
# expect: none
# features: precision-constant-folding, weakness-name-in-variable
import hashlib

LEGACY_CLIENTS = False


def checksum(data: bytes) -> str:
    name = "md5" if LEGACY_CLIENTS else "sha256"
    return hashlib.new(name, data).hexdigest()
