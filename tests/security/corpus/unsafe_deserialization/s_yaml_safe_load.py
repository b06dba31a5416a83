"""Twin of v_yaml_load: yaml.safe_load."""
# expect: none
# features: sanitizer-yaml-safe-load
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.post("/config")
def upload_config():
    document = request.files["config"].read()
    config = yaml.safe_load(document)
    return {"sections": list(config)}
