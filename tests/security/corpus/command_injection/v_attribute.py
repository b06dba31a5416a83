"""Untrusted data stored in an attribute by one method and run by another."""
# features: propagation-attributes, source-flask-args
import subprocess

from flask import Flask, request

app = Flask(__name__)


class Job:
    def __init__(self, command):
        self.command = command

    def run(self):
        return subprocess.run(self.command, shell=True, check=False)  # expect: command-injection


@app.route("/job")
def start_job():
    Job(request.args["cmd"]).run()
    return "started"
