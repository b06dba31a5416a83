"""Untrusted values collected by a comprehension and joined into a command."""
# features: propagation-comprehension, source-flask-args
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/remove")
def remove():
    names = [name.strip() for name in request.args.getlist("name")]
    os.system("rm -f " + " ".join(names))  # expect: command-injection
    return "ok"
