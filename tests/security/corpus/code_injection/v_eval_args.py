"""A query parameter evaluated as Python."""
# features: source-flask-args
from flask import Flask, request

app = Flask(__name__)


@app.route("/calc")
def calc():
    expression = request.args["expr"]
    result = eval(expression)  # expect: code-injection
    return {"result": result}
