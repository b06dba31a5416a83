# expect: none
import subprocess

from flask import Flask, request

app = Flask(__name__)


def run_git(args):
    return subprocess.run(["git", *args], capture_output=True, text=True, check=False)


@app.route("/log")
def log():
    branch = request.args.get("branch", "main")
    result = run_git(["log", "--oneline", "--", branch])
    return {"log": result.stdout}
