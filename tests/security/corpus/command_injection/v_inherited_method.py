"""The sink is in a base class method, called on a subclass instance."""
# features: propagation-attributes, propagation-inheritance
import os

from flask import Flask, request

app = Flask(__name__)


class Runner:
    def execute(self, line):
        os.system(line)  # expect: command-injection


class LoggingRunner(Runner):
    def describe(self):
        return "logging runner"


@app.route("/exec")
def run():
    LoggingRunner().execute(request.args["line"])
    return "ok"
