"""Twin of v_format_cursor: named parameters in a dictionary."""
# expect: none
# features: sanitizer-parameterized-sql, propagation-containers
from flask import Flask, request

from .db import get_connection

app = Flask(__name__)


@app.post("/orders")
def orders():
    params = {"status": request.form["status"]}
    cursor = get_connection().cursor()
    cursor.execute("SELECT * FROM orders WHERE status = %(status)s", params)
    return {"orders": cursor.fetchall()}
