# expect: none
from jinja2 import Environment, FileSystemLoader, select_autoescape
from flask import Flask, request

app = Flask(__name__)
env = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())


@app.route("/card")
def card():
    return env.get_template("card.html").render(name=request.args.get("name"))
