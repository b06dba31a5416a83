from pathlib import Path

MEDIA_ROOT = Path("/var/media")


def read_document(relative):
    return (MEDIA_ROOT / relative).read_bytes()  # expect: path-traversal
