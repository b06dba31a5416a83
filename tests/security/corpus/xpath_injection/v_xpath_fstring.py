"""An XPath expression built with an f-string."""
# features: source-flask-args, propagation-fstring
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
USERS = etree.parse("users.xml")


@app.route("/user")
def user():
    name = request.args["name"]
    nodes = USERS.xpath(f"//user[@name='{name}']/email/text()")  # expect: xpath-injection
    return {"emails": [str(node) for node in nodes]}
