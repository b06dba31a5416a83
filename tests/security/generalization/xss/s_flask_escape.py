# expect: none
from flask import Flask, request
from markupsafe import escape

app = Flask(__name__)


@app.route("/greet")
def greet():
    return f"<p>Welcome back, {escape(request.args.get('name', ''))}</p>"
