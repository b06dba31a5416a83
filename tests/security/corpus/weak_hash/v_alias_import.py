"""SHA-1 imported under another name."""
# features: weakness-alias
from hashlib import sha1 as fingerprint


def token_fingerprint(token: bytes) -> str:
    return fingerprint(token).hexdigest()  # expect: weak-hash
