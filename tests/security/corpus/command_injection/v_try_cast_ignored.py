"""int() is called for its check, but the original string is what gets used."""
# features: precision-exceptions
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/sleep")
def sleep():
    seconds = request.args["seconds"]
    try:
        int(seconds)
    except ValueError:
        return "bad", 400
    os.system("sleep " + seconds)  # expect: command-injection
    return "ok"
