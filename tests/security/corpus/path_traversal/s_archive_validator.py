"""Twin of v_archive_member: a validator of the repository, used as a guard, checks each path."""
# expect: none
# features: sanitizer-validator, precision-early-return, source-archive
import os
import tarfile


def is_within_directory(directory, target):
    return os.path.commonpath([os.path.abspath(directory), os.path.abspath(target)]) == os.path.abspath(directory)


def extract(archive_path, destination):
    with tarfile.open(archive_path) as archive:
        for name in archive.getnames():
            target = os.path.join(destination, name)
            folder = os.path.dirname(target)
            if not is_within_directory(destination, target):
                raise ValueError(f"{name} leaves the destination")
            os.makedirs(folder, exist_ok=True)
