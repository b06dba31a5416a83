"""Twin of v_concat_system: the value is quoted with shlex.quote."""
# expect: none
# features: sanitizer-shlex-quote
import os
import shlex

from flask import Flask, request

app = Flask(__name__)


@app.route("/list")
def list_directory():
    folder = request.args.get("folder", ".")
    os.system("ls -l " + shlex.quote(folder))
    return "done"
