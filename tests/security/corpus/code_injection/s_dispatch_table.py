"""Twin of v_exec_helper: the request only selects code from a fixed table."""
# expect: none
# features: sanitizer-allowlist, propagation-indexing
from flask import Flask, request

app = Flask(__name__)

HOOKS = {
    "log": "def hook(event):\n    print(event)",
    "drop": "def hook(event):\n    return None",
}


@app.post("/hooks")
def install_hook():
    namespace = {}
    exec(HOOKS[request.json["name"]], namespace)
    return {"installed": True}
