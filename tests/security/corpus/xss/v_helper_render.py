"""A helper in the same module renders a fragment from the request."""
# features: propagation-same-module-helper, propagation-return-values
from flask import Flask, request

app = Flask(__name__)


def badge(label):
    return "<span class='badge'>{}</span>".format(label)


@app.route("/badge")
def show_badge():
    return badge(request.args["label"])  # expect: xss
