"""Twin of v_slice: the variable is overwritten by a constant."""
# expect: none
# features: precision-overwritten
from flask import Flask, request

app = Flask(__name__)


@app.route("/preview")
def preview():
    text = request.values["text"][:140]
    app.logger.info("preview of %d characters", len(text))
    text = "(preview disabled)"
    return "<blockquote>" + text + "</blockquote>"
