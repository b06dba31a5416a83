"""Twin of v_attribute: the value is cast to int before it is stored."""
# expect: none
# features: sanitizer-numeric-cast
import subprocess

from flask import Flask, request

app = Flask(__name__)


class Job:
    def __init__(self, seconds):
        self.command = f"sleep {seconds}"

    def run(self):
        return subprocess.run(self.command, shell=True, check=False)


@app.route("/job")
def start_job():
    Job(int(request.args["seconds"])).run()
    return "started"
