"""Member names of an uploaded archive become paths: zip slip."""
# features: source-archive, propagation-containers
import os
import zipfile


def extract(archive_path, destination):
    with zipfile.ZipFile(archive_path) as archive:
        for info in archive.infolist():
            target = os.path.join(destination, info.filename)
            folder = os.path.dirname(target)
            os.makedirs(folder, exist_ok=True)  # expect: path-traversal
            with open(target, "wb") as handle:  # expect: path-traversal
                handle.write(archive.read(info))
