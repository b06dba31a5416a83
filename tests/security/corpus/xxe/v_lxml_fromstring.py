"""lxml parses the request body with its default parser, which resolves entities."""
# features: source-flask-get-data
from flask import Flask, request
from lxml import etree

app = Flask(__name__)


@app.post("/invoice")
def invoice():
    document = etree.fromstring(request.get_data())  # expect: xxe
    return {"total": document.findtext("total")}
