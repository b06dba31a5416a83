"""A URL-decoded path segment in a command."""
# features: propagation-url-decoding, propagation-slicing
import subprocess
from urllib.parse import unquote

from flask import Flask, request

app = Flask(__name__)


@app.route("/run")
def run():
    raw = request.full_path[5:]
    subprocess.run(unquote(raw), shell=True, check=False)  # expect: command-injection
    return "ok"
