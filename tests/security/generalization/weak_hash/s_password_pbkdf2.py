# expect: none
import hashlib


def hash_password(password, salt):
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000).hex()


def etag(content):
    return hashlib.md5(content, usedforsecurity=False).hexdigest()
