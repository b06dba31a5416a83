"""A reset token from random.choice."""
# features: weakness-direct-call
import random
import string


def reset_token() -> str:
    return "".join(random.choice(string.ascii_letters) for _ in range(32))  # expect: weak-random
