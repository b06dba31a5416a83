"""A helper in the same module builds the WHERE clause."""
# features: propagation-same-module-helper, propagation-return-values
import sqlite3

from flask import Flask, request

app = Flask(__name__)


def where_clause(column, value):
    return f"WHERE {column} = '{value}'"


@app.route("/products")
def products():
    clause = where_clause("category", request.args["category"])
    rows = sqlite3.connect("shop.db").execute("SELECT * FROM products " + clause).fetchall()  # expect: sql-injection
    return {"rows": rows}
