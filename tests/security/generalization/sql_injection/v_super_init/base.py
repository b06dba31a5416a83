import sqlite3


class BaseStore:
    def __init__(self, path):
        self.db = sqlite3.connect(path)

    def query(self, sql):
        return self.db.execute(sql).fetchall()  # expect: sql-injection
