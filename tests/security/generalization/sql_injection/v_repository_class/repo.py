import psycopg2


class UserRepository:
    def __init__(self, dsn):
        self.conn = psycopg2.connect(dsn)

    def find_by_email(self, email):
        cur = self.conn.cursor()
        cur.execute("SELECT * FROM users WHERE email = '" + email + "'")  # expect: sql-injection
        return cur.fetchone()
