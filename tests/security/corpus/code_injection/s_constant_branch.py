"""Twin of v_conditional: the branch that would evaluate the request is dead."""
# expect: none
# features: precision-constant-folding
from flask import Flask, request

app = Flask(__name__)
ENABLE_FORMULAS = 0


@app.route("/formula")
def formula():
    chosen = "1 + 1"
    if ENABLE_FORMULAS:
        chosen = request.args.get("formula")
    return {"value": eval(chosen)}
