import os
import zipfile


def extract(archive_path, target):
    with zipfile.ZipFile(archive_path) as archive:
        for member in archive.namelist():
            destination = os.path.join(target, member)
            with archive.open(member) as source, open(destination, "wb") as out:  # expect: path-traversal
                out.write(source.read())
