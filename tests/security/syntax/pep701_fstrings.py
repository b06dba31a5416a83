"""PEP 701 (Python 3.12): f-strings that reuse their quotes, nest, span lines and hold comments."""

import sqlite3
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/search")
def search():
    db = sqlite3.connect("app.db")
    # Same quotes inside the replacement field: a syntax error before 3.12.
    query = f"SELECT * FROM items WHERE name = '{request.args["name"]}'"
    return {"rows": db.execute(query).fetchall()}  # expect: sql-injection


@app.route("/list")
def listing():
    folder = request.args.get("folder", ".")
    output = subprocess.check_output(  # expect: command-injection
        f"ls -l {
            folder  # a comment inside the replacement field
        }",
        shell=True,
    )
    return {"listing": f"{output.decode()!r:>{len("x")}}"}


def labels(rows):
    return [f"{row["id"]}: {f"{row["name"]}"}" for row in rows]
