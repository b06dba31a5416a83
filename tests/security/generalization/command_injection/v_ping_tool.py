import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/tools/ping", methods=["POST"])
def ping():
    host = request.form["host"]
    stream = os.popen("ping -c 1 " + host)  # expect: command-injection
    return {"output": stream.read()}
