"""A query parameter stored in the session."""
# features: source-flask-args
from flask import Flask, request, session

app = Flask(__name__)


@app.route("/locale")
def set_locale():
    session["locale"] = request.args["locale"]  # expect: trust-boundary
    return {"ok": True}
