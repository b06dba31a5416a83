"""Twin of v_xpath_fstring: the value is passed as an XPath variable."""
# expect: none
# features: sanitizer-parameterized-xpath
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
USERS = etree.parse("users.xml")


@app.route("/user")
def user():
    name = request.args["name"]
    nodes = USERS.xpath("//user[@name=$name]/email/text()", name=name)
    return {"emails": [str(node) for node in nodes]}
