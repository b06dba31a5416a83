"""Percent-formatting puts a header value in the query."""
# features: propagation-percent-format, source-flask-headers
from flask import Flask, request

from .db import get_connection

app = Flask(__name__)


@app.route("/recent")
def recent():
    limit = request.headers.get("X-Limit", "10")
    cursor = get_connection().cursor()
    cursor.execute("SELECT * FROM events ORDER BY at DESC LIMIT %s" % limit)  # expect: sql-injection
    return {"events": cursor.fetchall()}
