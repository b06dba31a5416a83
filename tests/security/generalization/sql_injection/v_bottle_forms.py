import sqlite3

from bottle import post, request


@post("/login")
def login():
    user = request.forms.get("user")
    conn = sqlite3.connect("app.db")
    row = conn.execute(f"SELECT id FROM users WHERE name = '{user}'").fetchone()  # expect: sql-injection
    return {"ok": row is not None}
