"""A generator of HTML rows yields untrusted cells."""
# features: propagation-generators, propagation-same-module-helper
from flask import Flask, request

app = Flask(__name__)


def rows(values):
    for value in values:
        yield "<tr><td>" + value + "</td></tr>"


@app.route("/table")
def table():
    return "<table>" + "".join(rows(request.args.getlist("cell"))) + "</table>"  # expect: xss
