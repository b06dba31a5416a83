"""pickle.load straight from an uploaded file object."""
# features: source-flask-files
import pickle

from flask import Flask, request

app = Flask(__name__)


@app.post("/model")
def upload_model():
    model = pickle.load(request.files["model"])  # expect: unsafe-deserialization
    return {"type": type(model).__name__}
