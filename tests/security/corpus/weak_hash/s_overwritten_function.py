"""Twin of v_assigned_function: the variable is rebound to SHA-256 before the call."""
# expect: none
# features: precision-overwritten
import hashlib


def etag(body: bytes) -> str:
    algorithm = hashlib.md5
    algorithm = hashlib.sha256
    return algorithm(body).hexdigest()
