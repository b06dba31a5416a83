"""A random.Random instance kept in a variable."""
# features: weakness-alias, propagation-assignment
import random

generator = random.Random()


def session_id() -> str:
    return "%032x" % generator.getrandbits(128)  # expect: weak-random
