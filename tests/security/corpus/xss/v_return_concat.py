"""A view returns HTML built from a query parameter."""
# features: source-flask-args, propagation-concatenation
from flask import Flask, request

app = Flask(__name__)


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    return "<h1>Hello " + name + "</h1>"  # expect: xss
