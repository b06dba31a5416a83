"""Twin of v_archive_member: each path is normalized and must stay in the destination."""
# expect: none
# features: sanitizer-realpath-prefix-check, precision-early-return
import os


def extract(manifest_path, destination):
    with open(manifest_path) as manifest:
        names = [line.strip() for line in manifest]
    for name in names:
        target = os.path.abspath(os.path.join(destination, name))
        if os.path.commonpath([target, destination]) != destination:
            continue
        os.makedirs(target, exist_ok=True)
