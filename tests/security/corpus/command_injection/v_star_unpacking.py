"""Starred unpacking keeps the taint in the rest."""
# features: propagation-unpacking
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/rm")
def remove():
    first, *others = request.args.getlist("path")
    os.system("rm " + " ".join(others))  # expect: command-injection
    return "removed " + str(len(first))
