"""An API key drawn from the random module: "key" as a word of the name."""
# features: weakness-secret-naming
import random
import string


def new_client_credentials():
    api_key = "".join(random.choice(string.ascii_letters) for _ in range(32))  # expect: weak-random
    return {"api_key": api_key}
