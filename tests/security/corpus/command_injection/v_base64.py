"""A base64-encoded command from a cookie."""
# features: propagation-base64, source-flask-cookies
import base64
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/replay")
def replay():
    encoded = request.cookies.get("last_command", "")
    command = base64.b64decode(encoded).decode()
    subprocess.run(command, shell=True, check=True)  # expect: command-injection
    return "ok"
