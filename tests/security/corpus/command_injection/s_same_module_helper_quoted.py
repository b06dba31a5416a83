"""Twin of v_same_module_helper: the helper quotes its argument."""
# expect: none
# features: sanitizer-shlex-quote, propagation-same-module-helper
import shlex
import subprocess

from flask import Flask, request

app = Flask(__name__)


def build_command(branch):
    return "git checkout " + shlex.quote(branch)


@app.route("/checkout")
def checkout():
    subprocess.run(build_command(request.args["branch"]), shell=True, check=True)
    return "ok"
