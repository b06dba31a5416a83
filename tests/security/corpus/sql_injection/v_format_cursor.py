"""str.format builds the query run on a cursor."""
# features: propagation-format, source-flask-form
from flask import Flask, request

from .db import get_connection

app = Flask(__name__)


@app.post("/orders")
def orders():
    status = request.form["status"]
    cursor = get_connection().cursor()
    cursor.execute("SELECT * FROM orders WHERE status = '{}'".format(status))  # expect: sql-injection
    return {"orders": cursor.fetchall()}
