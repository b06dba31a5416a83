"""minidom parses an uploaded file."""
# features: source-flask-files
from xml.dom import minidom

from flask import Flask, request

app = Flask(__name__)


@app.post("/feed")
def feed():
    document = minidom.parseString(request.files["feed"].read())  # expect: xxe
    return {"items": len(document.getElementsByTagName("item"))}
