"""A recursive helper builds the clause; recursion must not hide the flow."""
# features: propagation-same-module-helper, propagation-recursion
import sqlite3

from flask import Flask, request

app = Flask(__name__)


def conditions(values):
    if not values:
        return "1=1"
    return "tag = '" + values[0] + "' OR " + conditions(values[1:])


@app.route("/tagged")
def tagged():
    query = "SELECT * FROM posts WHERE " + conditions(request.args.getlist("tag"))
    return {"posts": sqlite3.connect("blog.db").execute(query).fetchall()}  # expect: sql-injection
