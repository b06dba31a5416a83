"""Percent-formatting with a mapping."""
# features: propagation-percent-format, propagation-containers
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/mail")
def mail():
    os.system("mail -s '%(subject)s' admin" % {"subject": request.args["subject"]})  # expect: command-injection
    return "ok"
