"""Form data in an f-string run through a shell."""
# features: source-flask-form, propagation-fstring
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.post("/search")
def search():
    pattern = request.form["pattern"]
    output = subprocess.check_output(f"grep -r {pattern} /srv/logs", shell=True)  # expect: command-injection
    return {"lines": output.decode().splitlines()}
