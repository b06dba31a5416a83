"""An isinstance check on the parsed JSON value narrows it to a number."""
# expect: none
# features: sanitizer-validator, precision-early-return
from flask import Flask, abort, request

app = Flask(__name__)


@app.post("/page")
def page():
    number = request.json["page"]
    if not isinstance(number, int):
        abort(400)
    with open(f"/srv/pages/{number}.html") as handle:
        return {"html": handle.read()}
