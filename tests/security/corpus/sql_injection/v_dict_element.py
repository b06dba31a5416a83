"""The tainted element of a dictionary reaches the query."""
# features: propagation-containers, propagation-indexing
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/report")
def report():
    options = {"table": "sales", "region": request.args["region"]}
    query = "SELECT * FROM %s WHERE region = '%s'" % (options["table"], options["region"])
    rows = sqlite3.connect("bi.db").execute(query).fetchall()  # expect: sql-injection
    return {"rows": rows}
