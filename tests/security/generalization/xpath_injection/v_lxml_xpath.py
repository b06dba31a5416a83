from flask import Flask, request
from lxml import etree

app = Flask(__name__)
TREE = etree.parse("catalog.xml")


@app.route("/book")
def book():
    title = request.args["title"]
    nodes = TREE.xpath("//book[title='" + title + "']/price/text()")  # expect: xpath-injection
    return {"prices": [str(node) for node in nodes]}
