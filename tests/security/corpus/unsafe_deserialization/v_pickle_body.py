"""The request body unpickled."""
# features: source-flask-get-data
import pickle

from flask import Flask, request

app = Flask(__name__)


@app.post("/import")
def import_state():
    state = pickle.loads(request.get_data())  # expect: unsafe-deserialization
    return {"keys": sorted(state)}
