"""Twin of v_lxml_parse_upload: a safe parser passed by position."""
# expect: none
# features: sanitizer-safe-xml-parser
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
SAFE = etree.XMLParser(resolve_entities=False)


@app.post("/import")
def import_document():
    tree = etree.parse(request.files["document"], SAFE)
    return {"root": tree.getroot().tag}
