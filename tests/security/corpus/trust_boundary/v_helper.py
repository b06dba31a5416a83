"""A helper returns the cleaned-up cookie value, which is stored in the session."""
# features: propagation-same-module-helper, source-flask-cookies
from flask import Flask, request, session

app = Flask(__name__)


def preferred_team(raw):
    return raw.strip().lower()


@app.route("/team")
def team():
    session["team"] = preferred_team(request.cookies["team"])  # expect: trust-boundary
    return {"ok": True}
