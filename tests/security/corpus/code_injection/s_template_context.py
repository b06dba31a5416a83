"""Twin of v_template_string: the value is passed as template data, not as template source."""
# expect: none
# features: sanitizer-template-context
from flask import Flask, render_template_string, request

app = Flask(__name__)


@app.route("/greet")
def greet():
    name = request.args.get("name", "world")
    return render_template_string("<h1>Hello {{ name }}</h1>", name=name)
