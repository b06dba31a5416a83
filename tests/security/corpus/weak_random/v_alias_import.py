"""randint imported under another name."""
# features: weakness-alias
from random import randint as pick


def one_time_code() -> int:
    code = pick(100000, 999999)  # expect: weak-random
    return code
