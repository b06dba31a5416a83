"""Twin of v_alias_import: random.SystemRandom draws from the operating system."""
# expect: none
# features: sanitizer-system-random
import random


def one_time_code() -> int:
    code = random.SystemRandom().randint(100000, 999999)
    return code
