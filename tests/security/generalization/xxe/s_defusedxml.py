# expect: none
from defusedxml import ElementTree
from flask import Flask, request

app = Flask(__name__)


@app.post("/import")
def import_xml():
    return {"tag": ElementTree.fromstring(request.data).tag}
