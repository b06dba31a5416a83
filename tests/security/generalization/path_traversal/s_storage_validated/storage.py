# expect: none
import os

MEDIA_ROOT = "/var/media"


def safe_path(relative):
    full = os.path.realpath(os.path.join(MEDIA_ROOT, relative))
    if not full.startswith(MEDIA_ROOT + os.sep):
        raise PermissionError(relative)
    return full


def read_document(relative):
    with open(safe_path(relative), "rb") as handle:
        return handle.read()
