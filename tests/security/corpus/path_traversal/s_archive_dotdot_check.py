"""Twin of v_archive_member: names that are absolute or hold '..' are skipped."""
# expect: none
# features: sanitizer-validator, precision-early-return, source-archive
import os
import zipfile


def extract(archive_path, destination):
    with zipfile.ZipFile(archive_path) as archive:
        for info in archive.infolist():
            name = info.filename
            if name.startswith("/") or ".." in name:
                continue
            target = os.path.join(destination, *name.split("/"))
            with open(target, "wb") as handle:
                handle.write(archive.read(info))
