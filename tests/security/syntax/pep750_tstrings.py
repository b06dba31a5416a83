"""PEP 750 (3.14): template strings."""

import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/greet")
def greet():
    name = request.args["name"]
    template = t"Hello {name}!"
    subprocess.run(f"echo {name!r}", shell=True)  # expect: command-injection
    return {"template": len(template.strings)}
