# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


@app.post("/import")
def import_xml():
    return {"tag": etree.fromstring(request.data, PARSER).tag}
