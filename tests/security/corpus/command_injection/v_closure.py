"""A nested function runs a variable of the enclosing one."""
# features: propagation-closures
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/later")
def later():
    command = request.args["command"]

    def run():
        os.system(command)  # expect: command-injection

    run()
    return "ok"
