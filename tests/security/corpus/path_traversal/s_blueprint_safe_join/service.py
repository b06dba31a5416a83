from werkzeug.security import safe_join


class FileService:
    def __init__(self, root):
        self.root = root

    def read(self, name):
        path = safe_join(self.root, name)
        if path is None:
            raise FileNotFoundError(name)
        with open(path) as handle:
            return handle.read()
