"""Twin of v_token: secrets.choice."""
# expect: none
# features: sanitizer-secrets
import secrets
import string


def reset_token() -> str:
    return "".join(secrets.choice(string.ascii_letters) for _ in range(32))
