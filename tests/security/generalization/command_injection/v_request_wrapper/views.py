import subprocess

from flask import Flask, request

from .wrappers import RequestData

app = Flask(__name__)


@app.route("/dig")
def dig():
    data = RequestData(request)
    target = data.param("target")
    return {"out": subprocess.getoutput("dig +short " + target)}  # expect: command-injection
