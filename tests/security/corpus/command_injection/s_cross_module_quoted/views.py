from flask import Flask, request

from .tools import convert

app = Flask(__name__)


@app.route("/thumbnail")
def thumbnail():
    convert(request.args["image"], "/tmp/thumb.png")
    return "ok"
