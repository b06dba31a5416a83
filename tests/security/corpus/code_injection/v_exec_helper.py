"""A helper returns code assembled from the request; the view executes it."""
# features: propagation-same-module-helper, propagation-return-values, source-flask-json
from flask import Flask, request

app = Flask(__name__)


def make_hook(body):
    return "def hook(event):\n    " + body


@app.post("/hooks")
def install_hook():
    namespace = {}
    exec(make_hook(request.json["body"]), namespace)  # expect: code-injection
    return {"installed": True}
