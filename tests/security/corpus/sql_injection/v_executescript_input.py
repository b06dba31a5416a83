"""Console input in a script run with executescript."""
# features: source-input, propagation-concatenation
import sqlite3


def drop_table():
    table = input("table to drop: ")
    sqlite3.connect("app.db").executescript("DROP TABLE " + table + ";")  # expect: sql-injection
