"""An assertion narrows the value to an allow-list."""
# expect: none
# features: sanitizer-allowlist, precision-early-return
import os

from flask import Flask, request

app = Flask(__name__)
SIGNALS = ("HUP", "TERM", "USR1")


@app.route("/signal")
def signal():
    name = request.args["signal"]
    assert name in SIGNALS
    os.system("pkill -" + name + " worker")
    return "ok"
