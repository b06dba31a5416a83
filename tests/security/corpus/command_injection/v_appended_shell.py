"""Twin of s_appended_argument: the list is joined and run by a shell."""
# features: propagation-containers, propagation-string-methods
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/blame")
def blame():
    arguments = ["git", "blame", "--"]
    arguments.append(request.args["file"])
    subprocess.run(" ".join(arguments), shell=True, check=False)  # expect: command-injection
    return "ok"
