import sqlite3


class UserRepository:
    def __init__(self, path):
        self.connection = sqlite3.connect(path)

    def by_email(self, email):
        query = "SELECT * FROM users WHERE email = '" + email + "'"
        return self.connection.execute(query).fetchone()  # expect: sql-injection
