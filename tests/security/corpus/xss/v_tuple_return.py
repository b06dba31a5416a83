"""A (body, status) tuple: the body is untrusted HTML."""
# features: propagation-containers, source-flask-cookies
from flask import Flask, request

app = Flask(__name__)


@app.route("/theme")
def theme():
    chosen = request.cookies.get("theme", "light")
    return "<body class='" + chosen + "'>", 200  # expect: xss
