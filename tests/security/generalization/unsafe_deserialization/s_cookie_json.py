# expect: none
import base64
import json

from flask import Flask, request

app = Flask(__name__)


@app.route("/cart")
def cart():
    items = json.loads(base64.b64decode(request.cookies.get("cart", "W10=")))
    return {"items": len(items)}
