"""Twin of v_dict_lookup: the parameter selects a target from a fixed mapping."""
# expect: none
# features: sanitizer-allowlist, propagation-indexing
from flask import Flask, redirect, request

app = Flask(__name__)
TARGETS = {"home": "/", "settings": "/settings"}


@app.route("/continue")
def continue_flow():
    return redirect(TARGETS.get(request.args["return_to"], "/"))
