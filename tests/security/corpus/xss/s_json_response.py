"""Twin of v_helper_render: returning a dict makes Flask answer with JSON."""
# expect: none
# features: sanitizer-json-response
from flask import Flask, request

app = Flask(__name__)


@app.route("/badge")
def show_badge():
    return {"label": request.args["label"]}
