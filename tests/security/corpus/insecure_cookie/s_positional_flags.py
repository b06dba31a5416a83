"""Twin of v_httponly_missing: both flags given by position."""
# expect: none
# features: weakness-direct-call
from flask import Flask, make_response

app = Flask(__name__)


@app.route("/login")
def login():
    response = make_response("welcome")
    response.set_cookie("session_id", "abc123", 3600, None, "/", None, True, True)
    return response
