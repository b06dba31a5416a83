import os


class ReportReader:
    def __init__(self):
        self.name = "summary.txt"

    def set_name(self, name):
        self.name = name

    def read(self):
        with open(os.path.join("/srv/reports", self.name)) as handle:  # expect: path-traversal
            return handle.read()
