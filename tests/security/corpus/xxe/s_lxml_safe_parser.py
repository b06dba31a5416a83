"""Twin of v_lxml_fromstring: a parser that does not resolve entities."""
# expect: none
# features: sanitizer-safe-xml-parser
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


@app.post("/invoice")
def invoice():
    document = etree.fromstring(request.get_data(), parser=PARSER)
    return {"total": document.findtext("total")}
