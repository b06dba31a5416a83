"""A query parameter joined to a base folder and opened."""
# features: source-flask-args, propagation-assignment
import os

from flask import Flask, request

app = Flask(__name__)
BASE = "/srv/reports"


@app.route("/report")
def report():
    path = os.path.join(BASE, request.args["name"])
    with open(path) as handle:  # expect: path-traversal
        return {"report": handle.read()}
