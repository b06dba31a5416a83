"""Checking for '..' alone is not enough: an absolute name replaces the base in os.path.join."""
# features: sanitizer-validator, precision-early-return, source-flask-args
import os

from flask import Flask, abort, request

app = Flask(__name__)


@app.route("/doc")
def doc():
    name = request.args["name"]
    if ".." in name:
        abort(400)
    with open(os.path.join("/srv/docs", name)) as handle:  # expect: path-traversal
        return {"text": handle.read()}
