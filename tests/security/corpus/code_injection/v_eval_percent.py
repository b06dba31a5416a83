"""Percent-formatting builds the expression."""
# features: propagation-percent-format, source-flask-form
from flask import Flask, request

app = Flask(__name__)


@app.post("/scale")
def scale():
    factor = request.form["factor"]
    value = eval("10 * %s" % factor)  # expect: code-injection
    return {"value": value}
