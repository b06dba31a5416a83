"""os.system held in a variable; getattr with a constant name."""
# features: propagation-assignment, weakness-alias
import os

from flask import Flask, request

app = Flask(__name__)
shell = os.system


@app.route("/a")
def first():
    shell(request.args["a"])  # expect: command-injection
    return "ok"


@app.route("/b")
def second():
    getattr(os, "system")(request.args["b"])  # expect: command-injection
    return "ok"
