"""A conditional expression that may pick the untrusted value."""
# features: propagation-conditional-expression, source-flask-headers
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/tool")
def tool():
    use_custom = "X-Tool" in request.headers
    program = request.headers["X-Tool"] if use_custom else "uptime"
    os.system(program)  # expect: command-injection
    return "ok"
