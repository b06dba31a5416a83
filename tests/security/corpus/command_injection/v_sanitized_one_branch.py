"""The value is quoted in one branch only."""
# features: propagation-branches, sanitizer-shlex-quote
import os
import shlex

from flask import Flask, request

app = Flask(__name__)


@app.route("/greet")
def greet():
    name = request.args["name"]
    if len(name) > 10:
        name = shlex.quote(name)
    os.system("echo " + name)  # expect: command-injection
    return "ok"
