"""Markup() marks untrusted text as safe HTML."""
# features: source-flask-json
from flask import Flask, render_template, request
from markupsafe import Markup

app = Flask(__name__)


@app.post("/bio")
def bio():
    biography = Markup(request.json["bio"])  # expect: xss
    return render_template("bio.html", bio=biography)
