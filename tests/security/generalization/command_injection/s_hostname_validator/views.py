# expect: none
import subprocess

from flask import Flask, request

from .checks import require_hostname

app = Flask(__name__)


@app.post("/ping")
def ping():
    host = request.form["host"]
    require_hostname(host)
    result = subprocess.run(f"ping -c 1 {host}", shell=True, capture_output=True, text=True)
    return {"output": result.stdout}
