"""A match statement whose catch-all case captures the untrusted value."""
# features: propagation-match
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/action")
def action():
    match request.args["action"]:
        case "status":
            command = "systemctl status app"
        case other:
            command = "systemctl " + other + " app"
    os.system(command)  # expect: command-injection
    return "ok"
