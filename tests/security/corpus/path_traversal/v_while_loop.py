"""A while loop strips a prefix but keeps the untrusted path."""
# features: propagation-loops, propagation-string-methods
from flask import Flask, request, send_file

app = Flask(__name__)


@app.route("/static")
def static_file():
    name = request.args["name"]
    while name.startswith("/"):
        name = name[1:]
    return send_file("/srv/static/" + name)  # expect: path-traversal
