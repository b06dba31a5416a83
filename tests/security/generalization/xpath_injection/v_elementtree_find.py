import xml.etree.ElementTree as ET

from flask import Flask, request

app = Flask(__name__)


@app.route("/user")
def user():
    root = ET.parse("users.xml").getroot()
    name = request.args["name"]
    found = root.findall(f".//user[@name='{name}']")  # expect: xpath-injection
    return {"count": len(found)}
