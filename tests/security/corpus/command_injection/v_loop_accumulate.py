"""Taint carried around a loop into the command it builds."""
# features: propagation-loops, propagation-augmented-assignment
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/packages")
def install():
    command = "apt-get install -y"
    for package in request.args.getlist("package"):
        command += " " + package
    os.system(command)  # expect: command-injection
    return "ok"
