"""Twin of v_alias_import: the alias is SHA-256."""
# expect: none
# features: weakness-alias
from hashlib import sha256 as fingerprint


def token_fingerprint(token: bytes) -> str:
    return fingerprint(token).hexdigest()
