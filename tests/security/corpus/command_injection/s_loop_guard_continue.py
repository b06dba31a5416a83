"""Twin of v_loop_accumulate: each package must be in the allow-list, or the loop skips it."""
# expect: none
# features: propagation-loops, sanitizer-allowlist, precision-early-return
import os

from flask import Flask, request

app = Flask(__name__)
PACKAGES = ("curl", "git", "vim")


@app.route("/packages")
def install():
    command = "apt-get install -y"
    for package in request.args.getlist("package"):
        if package not in PACKAGES:
            continue
        command += " " + package
    os.system(command)
    return "ok"
