"""Twin of v_try_cast_ignored: the converted value is the one used."""
# expect: none
# features: precision-exceptions, sanitizer-numeric-cast
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/sleep")
def sleep():
    try:
        seconds = int(request.args["seconds"])
    except ValueError:
        return "bad", 400
    os.system("sleep %d" % seconds)
    return "ok"
