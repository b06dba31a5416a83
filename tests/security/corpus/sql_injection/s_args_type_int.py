"""Twin of v_percent_limit: Werkzeug converts the parameter with type=int."""
# expect: none
# features: sanitizer-numeric-cast, source-flask-args
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/page")
def page():
    number = request.args.get("page", 1, type=int)
    rows = sqlite3.connect("app.db").execute("SELECT * FROM posts LIMIT 10 OFFSET %s" % (number * 10)).fetchall()
    return {"rows": rows}
