"""yaml.unsafe_load of a form field."""
# features: source-flask-form
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.post("/rules")
def rules():
    parsed = yaml.unsafe_load(request.form["rules"])  # expect: unsafe-deserialization
    return {"count": len(parsed)}
