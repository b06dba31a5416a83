"""Twin of v_make_response: markupsafe.escape."""
# expect: none
# features: sanitizer-html-escape
from flask import Flask, make_response, request
from markupsafe import escape

app = Flask(__name__)


@app.post("/comment")
def comment():
    text = request.form["text"]
    return make_response(f"<p>{escape(text)}</p>")
