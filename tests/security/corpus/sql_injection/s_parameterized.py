"""Twin of v_fstring_execute: a parameterized query."""
# expect: none
# features: sanitizer-parameterized-sql
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/users")
def find_user():
    name = request.args["name"]
    connection = sqlite3.connect("app.db")
    rows = connection.execute("SELECT id FROM users WHERE name = ?", (name,)).fetchall()
    return {"ids": [row[0] for row in rows]}
