"""Twin of v_session_update: the value stored is a constant; the header is only logged."""
# expect: none
# features: precision-constant-data
from flask import Flask, request, session

app = Flask(__name__)


@app.route("/impersonate")
def impersonate():
    app.logger.warning("impersonation attempt by %s", request.headers["X-User"])
    session.update({"user": "anonymous"})
    return {"ok": True}
