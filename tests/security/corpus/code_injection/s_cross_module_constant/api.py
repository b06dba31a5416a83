from flask import Flask, request

from .engine import Rule

app = Flask(__name__)


@app.post("/rules/test")
def test_rule():
    rule = Rule("age > 18")
    return {"matches": rule.matches({"age": int(request.form["age"])})}
