"""A JSON cookie decoded and stored as the cart in the session."""
# features: source-flask-cookies, propagation-containers
import json

from flask import Flask, request, session

app = Flask(__name__)


@app.route("/cart/restore")
def restore_cart():
    session["cart"] = json.loads(request.cookies["cart"])  # expect: trust-boundary
    return {"ok": True}
