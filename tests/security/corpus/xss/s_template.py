"""Twin of v_markup: the value goes to an auto-escaping template as plain text."""
# expect: none
# features: sanitizer-template-context
from flask import Flask, render_template, request

app = Flask(__name__)


@app.post("/bio")
def bio():
    biography = request.json["bio"]
    return render_template("bio.html", bio=biography)
