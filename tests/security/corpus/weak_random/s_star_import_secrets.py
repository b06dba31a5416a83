"""Twin of v_star_import: the star import is secrets', and randbelow is not random's."""
# expect: none
# features: sanitizer-secrets, weakness-alias
from secrets import *  # noqa: F403


def pin_code() -> str:
    return "%04d" % randbelow(10000)  # noqa: F405
