"""Twin of s_realpath_prefix without realpath: a prefix check on an unresolved path proves nothing."""
# features: sanitizer-realpath-prefix-check, precision-early-return
import os

from flask import Flask, abort, request

app = Flask(__name__)
BASE = "/srv/reports"


@app.route("/report")
def report():
    path = os.path.join(BASE, request.args["name"])
    if not path.startswith(BASE + os.sep):
        abort(404)
    with open(path) as handle:  # expect: path-traversal
        return {"report": handle.read()}
