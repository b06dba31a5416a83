from flask import Flask, request

from .http import session

app = Flask(__name__)


@app.route("/check")
def check():
    return {"status": session.get(request.args["url"], timeout=3).status_code}  # expect: ssrf
