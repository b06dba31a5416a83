"""A template written by the user is rendered (server-side template injection)."""
# features: source-flask-args, propagation-fstring
from flask import Flask, render_template_string, request

app = Flask(__name__)


@app.route("/greet")
def greet():
    name = request.args.get("name", "world")
    return render_template_string(f"<h1>Hello {name}</h1>")  # expect: template-injection
