"""Twin of v_match_capture: every case picks a constant command."""
# expect: none
# features: propagation-match
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/action")
def action():
    match request.args["action"]:
        case "status":
            command = "systemctl status app"
        case "restart":
            command = "systemctl restart app"
        case _:
            command = "true"
    os.system(command)
    return "ok"
