"""Code after a return is never reached."""
# expect: none
# features: precision-dead-code
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/disabled")
def disabled():
    command = request.args["command"]
    return "disabled: " + str(len(command))
    os.system(command)
