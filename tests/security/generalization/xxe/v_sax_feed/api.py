from flask import Flask, request

from .feed import parse_feed

app = Flask(__name__)


@app.post("/import")
def import_feed():
    return {"titles": parse_feed(request.get_data())}
