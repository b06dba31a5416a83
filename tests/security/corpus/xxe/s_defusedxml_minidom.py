"""Twin of v_minidom: defusedxml's minidom."""
# expect: none
# features: sanitizer-defusedxml
from defusedxml import minidom
from flask import Flask, request

app = Flask(__name__)


@app.post("/feed")
def feed():
    document = minidom.parseString(request.files["feed"].read())
    return {"items": len(document.getElementsByTagName("item"))}
