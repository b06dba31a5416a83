"""The random module imported under another name."""
# features: weakness-alias
import random as rnd


def salt() -> bytes:
    return bytes(rnd.randrange(256) for _ in range(16))  # expect: weak-random
