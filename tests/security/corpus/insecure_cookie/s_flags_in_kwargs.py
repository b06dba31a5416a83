"""Flags passed through **kwargs cannot be checked; nothing is reported."""
# expect: none
# features: weakness-direct-call
from flask import Flask, make_response

app = Flask(__name__)
COOKIE_FLAGS = {"secure": True, "httponly": True}


@app.route("/login")
def login():
    response = make_response("welcome")
    response.set_cookie("session_id", "abc123", **COOKIE_FLAGS)
    return response
