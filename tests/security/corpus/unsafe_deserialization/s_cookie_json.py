"""Twin of v_cookie_base64: base64, then json."""
# expect: none
# features: sanitizer-data-only-format, propagation-base64
import base64
import json

from flask import Flask, request

app = Flask(__name__)


@app.route("/cart")
def cart():
    raw = base64.urlsafe_b64decode(request.cookies["cart"])
    items = json.loads(raw)
    return {"items": len(items)}
