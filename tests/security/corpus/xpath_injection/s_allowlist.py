"""Twin of v_compiled_xpath: only known authors get through."""
# expect: none
# features: sanitizer-allowlist
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
CATALOG = etree.parse("catalog.xml")
AUTHORS = ("Austen", "Tolstoy", "Woolf")


@app.post("/books")
def books():
    author = request.form["author"]
    if author in AUTHORS:
        find = etree.XPath("//book[author='" + author + "']/title/text()")
        return {"titles": [str(title) for title in find(CATALOG)]}
    return {"titles": []}
