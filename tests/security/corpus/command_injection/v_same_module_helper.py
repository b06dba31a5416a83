"""A helper in the same module builds the command and returns it."""
# features: propagation-same-module-helper, propagation-return-values
import subprocess

from flask import Flask, request

app = Flask(__name__)


def build_command(branch):
    return "git checkout " + branch


@app.route("/checkout")
def checkout():
    subprocess.run(build_command(request.args["branch"]), shell=True, check=True)  # expect: command-injection
    return "ok"
