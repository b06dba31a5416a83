"""A session cookie set with neither flag."""
# features: weakness-direct-call
from flask import Flask, make_response

app = Flask(__name__)


@app.route("/login")
def login():
    response = make_response("welcome")
    response.set_cookie("session_id", "abc123")  # expect: insecure-cookie
    return response
