"""Untrusted data inside a list, joined into a command."""
# features: propagation-containers, propagation-string-methods
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/echo")
def echo():
    words = ["echo", request.args["message"]]
    os.system(" ".join(words))  # expect: command-injection
    return "ok"
