"""A comparison result is a bool, not the data."""
# expect: none
# features: precision-derived-values
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/flag")
def flag():
    verbose = request.args.get("verbose") == "1"
    count = len(request.args.getlist("item"))
    os.system(f"report --verbose={verbose} --items={count}")
    return "ok"
