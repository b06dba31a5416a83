"""The object holds untrusted data, but the attribute that is run is set from a constant."""
# expect: none
# features: propagation-attributes, precision-object-sensitivity
import subprocess

from flask import Flask, request

app = Flask(__name__)


class Report:
    def __init__(self, title):
        self.title = title
        self.command = "make report"

    def build(self, extra):
        self.check(extra)
        subprocess.run(self.command, shell=True, check=False)
        return self.title

    def check(self, extra):
        return bool(extra)


@app.route("/report")
def report():
    Report(request.args["title"]).build(request.args["extra"])
    return "ok"
