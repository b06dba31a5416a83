from flask import Flask, request

from .rules import apply_rule, run_with

app = Flask(__name__)


@app.post("/rules/test")
def test_rule():
    return {"result": run_with(apply_rule, request.form["rule"])}
