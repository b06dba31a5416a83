"""A session cookie: base64, then pickle."""
# features: source-flask-cookies, propagation-base64
import base64
import pickle

from flask import Flask, request

app = Flask(__name__)


@app.route("/cart")
def cart():
    raw = base64.urlsafe_b64decode(request.cookies["cart"])
    items = pickle.loads(raw)  # expect: unsafe-deserialization
    return {"items": len(items)}
