"""Twin of v_closure_template: the generator escapes each cell."""
# expect: none
# features: propagation-generators, sanitizer-html-escape
import html

from flask import Flask, request

app = Flask(__name__)


def rows(values):
    for value in values:
        yield "<tr><td>" + html.escape(value) + "</td></tr>"


@app.route("/table")
def table():
    return "<table>" + "".join(rows(request.args.getlist("cell"))) + "</table>"
