"""A value kept on a request-scoped object is later stored in the session."""
# features: propagation-attributes, source-flask-form
from flask import Flask, request, session

app = Flask(__name__)


class Preferences:
    def __init__(self, form):
        self.language = form["language"]

    def save(self):
        session["language"] = self.language  # expect: trust-boundary


@app.post("/preferences")
def preferences():
    Preferences(request.form).save()
    return {"ok": True}
