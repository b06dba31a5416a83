"""Only one branch assigns the untrusted value; the join keeps it."""
# features: propagation-branches
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/mode")
def mode():
    if request.args.get("fast"):
        program = "uptime"
    else:
        program = request.args["program"]
    os.system(program)  # expect: command-injection
    return "ok"
