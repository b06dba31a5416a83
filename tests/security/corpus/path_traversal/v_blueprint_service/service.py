import os


class FileService:
    def __init__(self, root):
        self.root = root

    def read(self, name):
        path = os.path.join(self.root, name)
        with open(path) as handle:  # expect: path-traversal
            return handle.read()
