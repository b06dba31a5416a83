"""Twin of v_containers: the tainted element is not the one that is run."""
# expect: none
# features: precision-container-elements
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/echo")
def echo():
    job = {"command": "uptime", "requested_by": request.args["user"]}
    os.system(job["command"])
    app.logger.info("uptime requested by %s", job["requested_by"])
    return "ok"
