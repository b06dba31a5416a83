"""Twin of v_instance: the instance is a SystemRandom."""
# expect: none
# features: sanitizer-system-random
from random import SystemRandom

generator = SystemRandom()


def session_id() -> str:
    return "%032x" % generator.getrandbits(128)
