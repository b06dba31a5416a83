"""The target set in a try block reaches the redirect."""
# features: precision-exceptions, source-flask-args
from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/sso")
def sso():
    try:
        target = request.args["return"]
    except KeyError:
        target = "/"
    return redirect(target)  # expect: open-redirect
