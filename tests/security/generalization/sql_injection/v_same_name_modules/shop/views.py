import sqlite3

from flask import Flask, request

from shop.queries import product_query

app = Flask(__name__)


@app.route("/p")
def product():
    db = sqlite3.connect("shop.db")
    return {"rows": db.execute(product_query(request.args["name"])).fetchall()}  # expect: sql-injection
