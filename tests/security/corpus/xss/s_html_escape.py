"""Twin of v_return_concat: html.escape first."""
# expect: none
# features: sanitizer-html-escape
import html

from flask import Flask, request

app = Flask(__name__)


@app.route("/hello")
def hello():
    name = html.escape(request.args.get("name", ""))
    return "<h1>Hello " + name + "</h1>"
