"""Twin of v_executescript_input: a strict regular expression validates the name first."""
# expect: none
# features: sanitizer-validator, precision-early-return
import re
import sqlite3


def drop_table():
    table = input("table to drop: ")
    if not re.fullmatch(r"[a-z_]{1,30}", table):
        raise SystemExit("bad table name")
    sqlite3.connect("app.db").executescript("DROP TABLE " + table + ";")
