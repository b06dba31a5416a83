"""Twin of v_module_alias: secrets.token_bytes."""
# expect: none
# features: sanitizer-secrets
import secrets


def salt() -> bytes:
    return secrets.token_bytes(16)
