from flask import Flask, request

from .engine import Rule

app = Flask(__name__)


@app.post("/rules/test")
def test_rule():
    rule = Rule(request.form["condition"])
    return {"matches": rule.matches({"age": 42})}
