import sqlite3


class UserRepository:
    def __init__(self, path):
        self.connection = sqlite3.connect(path)

    def sorted_by(self, column):
        return self.connection.execute("SELECT * FROM users ORDER BY " + column).fetchall()
