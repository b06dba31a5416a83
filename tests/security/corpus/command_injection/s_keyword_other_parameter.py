"""Twin of v_kwargs_helper: the untrusted value goes to a parameter the sink does not use."""
# expect: none
# features: propagation-same-module-helper, propagation-keyword-arguments
import os

from flask import Flask, request

app = Flask(__name__)


def run_tool(mode="fast", label=""):
    print("running", label)
    os.system("tool --mode " + mode)


@app.route("/tool")
def tool():
    run_tool(label=request.args["label"])
    return "ok"
