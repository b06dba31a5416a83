"""An argument list that runs a shell with -c is a shell command after all."""
# features: propagation-containers
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/hook")
def hook():
    subprocess.run(["sh", "-c", "notify " + request.args["message"]], check=False)  # expect: command-injection
    return "ok"
