import os

ROOT = "/srv/storage"


def load(key):
    with open(os.path.join(ROOT, key), "rb") as handle:  # expect: path-traversal
        return handle.read()
