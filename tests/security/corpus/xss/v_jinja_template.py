"""A bare jinja2.Template does not escape by default."""
# features: source-flask-args
from flask import Flask, request
from jinja2 import Template

app = Flask(__name__)
CARD = Template("<div class='card'>{{ title }}</div>")


@app.route("/card")
def card():
    return CARD.render(title=request.args["title"])  # expect: xss
