import sqlite3


def count_rows(table):
    return sqlite3.connect("app.db").execute("SELECT COUNT(*) FROM " + table).fetchone()  # expect: sql-injection
