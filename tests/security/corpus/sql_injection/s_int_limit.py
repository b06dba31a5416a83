"""Twin of v_percent_limit: the value is cast to int."""
# expect: none
# features: sanitizer-numeric-cast
from flask import Flask, request

from .db import get_connection

app = Flask(__name__)


@app.route("/recent")
def recent():
    limit = int(request.headers.get("X-Limit", "10"))
    cursor = get_connection().cursor()
    cursor.execute("SELECT * FROM events ORDER BY at DESC LIMIT %s" % limit)
    return {"events": cursor.fetchall()}
