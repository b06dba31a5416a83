"""Twin of v_eval_args: only a Python identifier gets through, and it is looked up, not run."""
# expect: none
# features: precision-early-return, sanitizer-validator
from flask import Flask, abort, request

app = Flask(__name__)
SETTINGS = {"timeout": 30, "retries": 3}


@app.route("/setting")
def setting():
    name = request.args["name"]
    if not name.isidentifier():
        abort(400)
    return {"value": eval(name, {"__builtins__": {}}, SETTINGS)}
