"""Twin of v_eval_args: ast.literal_eval reads only literals."""
# expect: none
# features: sanitizer-literal-eval
import ast

from flask import Flask, request

app = Flask(__name__)


@app.route("/calc")
def calc():
    expression = request.args["expr"]
    result = ast.literal_eval(expression)
    return {"result": result}
