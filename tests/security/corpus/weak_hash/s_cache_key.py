"""A hash that only names data (a cache key, an ETag) protects nothing."""
# features: hash-naming
# expect: none
import hashlib


class TemplateCache:
    def get_cache_key(self, name: str) -> str:
        return hashlib.sha1(name.encode("utf-8")).hexdigest()


def response_headers(body: bytes) -> dict:
    etag = hashlib.md5(body).hexdigest()
    return {"ETag": etag}
