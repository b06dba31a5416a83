"""A query parameter in an f-string query."""
# features: source-flask-args, propagation-fstring
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/users")
def find_user():
    name = request.args["name"]
    connection = sqlite3.connect("app.db")
    rows = connection.execute(f"SELECT id FROM users WHERE name = '{name}'").fetchall()  # expect: sql-injection
    return {"ids": [row[0] for row in rows]}
