from flask import Flask, request

from .render import render_greeting

app = Flask(__name__)


@app.route("/greet")
def greet():
    template = request.args.get("template", "Hello ${name}")
    return {"text": render_greeting(template, name="world")}
