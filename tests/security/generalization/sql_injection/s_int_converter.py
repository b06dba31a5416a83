# expect: none
import sqlite3

from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/orders/<int:order_id>")
def order(order_id):
    db = sqlite3.connect("shop.db")
    row = db.execute(f"SELECT * FROM orders WHERE id = {order_id}").fetchone()
    return jsonify(row)
