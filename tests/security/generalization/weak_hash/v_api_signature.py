import hashlib
import hmac


def sign_request(secret: bytes, body: bytes) -> str:
    return hmac.new(secret, body, hashlib.md5).hexdigest()  # expect: weak-hash
