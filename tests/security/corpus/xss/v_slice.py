"""A slice of the untrusted value is still untrusted."""
# features: propagation-slicing, source-flask-values
from flask import Flask, request

app = Flask(__name__)


@app.route("/preview")
def preview():
    text = request.values["text"][:140]
    return "<blockquote>" + text + "</blockquote>"  # expect: xss
