"""Twin of v_pickle_body: json reads data, never code."""
# expect: none
# features: sanitizer-data-only-format
import json

from flask import Flask, request

app = Flask(__name__)


@app.post("/import")
def import_state():
    state = json.loads(request.get_data())
    return {"keys": sorted(state)}
