"""Names read from an archive manifest (a file) become paths: zip-slip style."""
# features: source-file, propagation-containers
import os


def extract(manifest_path, destination):
    with open(manifest_path) as manifest:
        names = [line.strip() for line in manifest]
    for name in names:
        os.makedirs(os.path.join(destination, name), exist_ok=True)  # expect: path-traversal
