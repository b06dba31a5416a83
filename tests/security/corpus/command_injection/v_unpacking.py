"""Unpacking a tuple: the tainted element reaches the shell."""
# features: propagation-unpacking, source-flask-values
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/archive")
def archive():
    name, mode = request.values["name"], "czf"
    os.system(f"tar {mode} /tmp/{name}.tgz /srv/data")  # expect: command-injection
    return "ok"
