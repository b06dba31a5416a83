import os

ROOT = "/srv/storage"


def load(key):
    with open(os.path.join(ROOT, key), "rb") as handle:
        return handle.read()
