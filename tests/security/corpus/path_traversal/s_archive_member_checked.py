"""Twin of v_archive_member: each path is normalized and must stay in the destination."""
# expect: none
# features: sanitizer-realpath-prefix-check, precision-early-return, source-archive
import os
import zipfile


def extract(archive_path, destination):
    with zipfile.ZipFile(archive_path) as archive:
        for info in archive.infolist():
            target = os.path.abspath(os.path.join(destination, info.filename))
            folder = os.path.dirname(target)
            if os.path.commonpath([target, destination]) != destination:
                continue
            os.makedirs(folder, exist_ok=True)
            with open(target, "wb") as handle:
                handle.write(archive.read(info))
