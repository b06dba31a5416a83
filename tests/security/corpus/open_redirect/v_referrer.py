"""Redirect back to the referrer header."""
# features: source-flask-headers
from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/back")
def back():
    return redirect(request.referrer or "/")  # expect: open-redirect
