# expect: none
import os

from flask import Flask, abort, request

app = Flask(__name__)
SERVICES = {"nginx", "redis", "postgres"}


@app.post("/restart")
def restart():
    service = request.form["service"]
    if service not in SERVICES:
        abort(400)
    os.system("systemctl restart " + service)
    return {"ok": True}
