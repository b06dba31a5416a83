"""The untrusted value travels in **kwargs to a helper."""
# features: propagation-same-module-helper, propagation-keyword-arguments
import os

from flask import Flask, request

app = Flask(__name__)


def run_tool(**options):
    os.system("tool --mode " + options["mode"])  # expect: command-injection


@app.route("/tool")
def tool():
    run_tool(mode=request.args["mode"], verbose=True)
    return "ok"
