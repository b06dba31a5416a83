"""Twin of v_helper: a digits-only guard that returns early."""
# expect: none
# features: precision-early-return, sanitizer-validator
from flask import Flask, request, session

app = Flask(__name__)


def preferred_team(raw):
    return raw.strip().lower()


@app.route("/team")
def team():
    raw = request.cookies["team"]
    if not raw.isdigit():
        return {"ok": False}
    session["team"] = preferred_team(raw)
    return {"ok": True}
