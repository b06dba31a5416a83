"""make_response with an f-string."""
# features: source-flask-form, propagation-fstring
from flask import Flask, make_response, request

app = Flask(__name__)


@app.post("/comment")
def comment():
    text = request.form["text"]
    return make_response(f"<p>{text}</p>")  # expect: xss
