"""An assignment expression in a condition."""
# features: propagation-assignment-expression
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/walrus")
def walrus():
    if (name := request.args.get("name")) is not None:
        os.system("finger " + name)  # expect: command-injection
    return "ok"
