"""shell=SHELL with SHELL = True."""
# features: precision-constant-folding
import subprocess

from flask import Flask, request

app = Flask(__name__)
SHELL = True


@app.route("/ls")
def ls():
    subprocess.run("ls " + request.args["dir"], shell=SHELL, check=False)  # expect: command-injection
    return "ok"
