"""session.update with a header value."""
# features: source-flask-headers, propagation-containers
from flask import Flask, request, session

app = Flask(__name__)


@app.route("/impersonate")
def impersonate():
    session.update({"user": request.headers["X-User"]})  # expect: trust-boundary
    return {"ok": True}
