"""An untrusted argument appended to an argument list, run without a shell."""
# expect: none
# features: precision-container-elements, sanitizer-argument-list
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/blame")
def blame():
    arguments = ["git", "blame", "--"]
    arguments.append(request.args["file"])
    subprocess.run(arguments, check=False)
    return "ok"
