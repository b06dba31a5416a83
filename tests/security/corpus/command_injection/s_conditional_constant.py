"""Twin of v_conditional: the condition folds to False, so only the constant is chosen."""
# expect: none
# features: precision-constant-folding, propagation-conditional-expression
import os

from flask import Flask, request

app = Flask(__name__)
ALLOW_CUSTOM_TOOLS = False


@app.route("/tool")
def tool():
    program = request.headers["X-Tool"] if ALLOW_CUSTOM_TOOLS else "uptime"
    os.system(program)
    return "ok"
