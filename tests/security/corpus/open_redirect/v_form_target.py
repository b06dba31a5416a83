"""Redirect to a form field after a check that is not a guard."""
# features: source-flask-form, propagation-string-methods
from flask import Flask, redirect, request

app = Flask(__name__)


@app.post("/go")
def go():
    target = request.form["target"].strip()
    app.logger.info("redirecting to %s", target)
    return redirect(target)  # expect: open-redirect
