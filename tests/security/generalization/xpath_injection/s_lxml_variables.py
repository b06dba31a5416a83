# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
TREE = etree.parse("catalog.xml")


@app.route("/book")
def book():
    nodes = TREE.xpath("//book[title=$title]/price/text()", title=request.args["title"])
    return {"prices": [str(node) for node in nodes]}
