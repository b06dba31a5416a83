"""Twin of v_attribute: the object built from the request is never run; another one is."""
# expect: none
# features: propagation-attributes, precision-object-sensitivity
import subprocess

from flask import Flask, request

app = Flask(__name__)


class Job:
    def __init__(self, command):
        self.command = command

    def run(self):
        return subprocess.run(self.command, shell=True, check=False)


@app.route("/job")
def start_job():
    requested = Job(request.args["cmd"])
    app.logger.info("requested: %s", requested.command)
    Job("uptime").run()
    return "started"
