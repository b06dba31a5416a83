"""MD5 of a password."""
# features: weakness-direct-call
import hashlib


def password_digest(password: str) -> str:
    return hashlib.md5(password.encode()).hexdigest()  # expect: weak-hash
