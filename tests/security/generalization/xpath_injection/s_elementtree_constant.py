# expect: none
import xml.etree.ElementTree as ET

from flask import Flask, request

app = Flask(__name__)


@app.route("/user")
def user():
    root = ET.parse("users.xml").getroot()
    name = request.args["name"]
    found = [node for node in root.findall(".//user") if node.get("name") == name]
    return {"count": len(found)}
