import sqlite3

from flask import Flask, request

from shop.queries import product_query

app = Flask(__name__)


@app.route("/p")
def product():
    db = sqlite3.connect("shop.db")
    name = request.args["name"]
    return {"rows": db.execute(product_query(name), (name,)).fetchall()}
