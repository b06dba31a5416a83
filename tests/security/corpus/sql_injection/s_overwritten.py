"""Twin of v_query_builder: the clause is overwritten before the query runs."""
# expect: none
# features: precision-overwritten, propagation-same-module-helper
import sqlite3

from flask import Flask, request

app = Flask(__name__)


def where_clause(column, value):
    return f"WHERE {column} = '{value}'"


@app.route("/products")
def products():
    clause = where_clause("category", request.args["category"])
    app.logger.info("would have used %s", clause)
    clause = "WHERE category = 'books'"
    rows = sqlite3.connect("shop.db").execute("SELECT * FROM products " + clause).fetchall()
    return {"rows": rows}
