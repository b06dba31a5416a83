"""A conditional expression can choose the request's expression."""
# features: propagation-conditional-expression, source-env
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/formula")
def formula():
    custom = request.args.get("formula")
    chosen = custom if custom else os.environ.get("DEFAULT_FORMULA", "1 + 1")
    return {"value": eval(chosen)}  # expect: code-injection
