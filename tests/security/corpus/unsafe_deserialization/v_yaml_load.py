"""yaml.load with the full Loader on an uploaded document."""
# features: source-flask-files
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.post("/config")
def upload_config():
    document = request.files["config"].read()
    config = yaml.load(document, Loader=yaml.Loader)  # expect: unsafe-deserialization
    return {"sections": list(config)}
