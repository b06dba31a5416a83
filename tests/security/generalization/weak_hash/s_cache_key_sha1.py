# expect: none
import hashlib


class FragmentCache:
    def cache_key(self, fragment: str) -> str:
        return "frag:" + hashlib.sha1(fragment.encode()).hexdigest()
