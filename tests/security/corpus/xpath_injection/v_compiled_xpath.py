"""etree.XPath compiled from concatenated form data."""
# features: source-flask-form, propagation-concatenation
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
CATALOG = etree.parse("catalog.xml")


@app.post("/books")
def books():
    find = etree.XPath("//book[author='" + request.form["author"] + "']/title/text()")  # expect: xpath-injection
    return {"titles": [str(title) for title in find(CATALOG)]}
