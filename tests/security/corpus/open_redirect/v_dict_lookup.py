"""The redirect target is the untrusted element of a dict."""
# features: propagation-containers, propagation-indexing
from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/continue")
def continue_flow():
    state = {"step": 2, "return_to": request.args["return_to"]}
    return redirect(state["return_to"])  # expect: open-redirect
