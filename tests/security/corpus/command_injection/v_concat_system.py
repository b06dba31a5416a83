"""A query parameter concatenated into a shell command."""
# features: source-flask-args, propagation-concatenation, propagation-assignment
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/list")
def list_directory():
    folder = request.args.get("folder", ".")
    os.system("ls -l " + folder)  # expect: command-injection
    return "done"
