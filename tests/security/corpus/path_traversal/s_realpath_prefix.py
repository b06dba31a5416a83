"""Twin of v_open_join: the path is resolved with realpath and checked against the base."""
# expect: none
# features: sanitizer-realpath-prefix-check, precision-early-return
import os

from flask import Flask, abort, request

app = Flask(__name__)
BASE = "/srv/reports"


@app.route("/report")
def report():
    path = os.path.realpath(os.path.join(BASE, request.args["name"]))
    if not path.startswith(BASE + os.sep):
        abort(404)
    with open(path) as handle:
        return {"report": handle.read()}
