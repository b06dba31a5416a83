import sqlite3

from flask import Flask, abort, request

from .checks import check_column

app = Flask(__name__)


@app.route("/items")
def items():
    column = request.args.get("sort", "name")
    if not check_column(column):
        abort(400)
    db = sqlite3.connect("shop.db")
    return {"rows": db.execute(f"SELECT * FROM items ORDER BY {column}").fetchall()}
