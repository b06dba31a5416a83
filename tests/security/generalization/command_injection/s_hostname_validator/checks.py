# expect: none
import re

HOSTNAME = re.compile(r"[a-z0-9.-]{1,253}")


def require_hostname(value):
    """Reject anything that is not a plain host name."""
    if not HOSTNAME.fullmatch(value):
        raise ValueError(f"not a host name: {value!r}")
