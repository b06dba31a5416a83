"""Twin of v_fstring_shell: an argument list without a shell; the value is only an argument."""
# expect: none
# features: sanitizer-argument-list
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.post("/search")
def search():
    pattern = request.form["pattern"]
    output = subprocess.check_output(["grep", "-r", "--", pattern, "/srv/logs"])
    return {"lines": output.decode().splitlines()}
