"""random.random held in a variable before it is called."""
# features: weakness-alias, propagation-assignment
import random


def nonce() -> float:
    draw = random.random
    return draw()  # expect: weak-random
