"""lxml.etree.parse of an uploaded file object."""
# features: source-flask-files
from flask import Flask, request
from lxml import etree

app = Flask(__name__)


@app.post("/import")
def import_document():
    tree = etree.parse(request.files["document"])  # expect: xxe
    return {"root": tree.getroot().tag}
