"""Twin of v_yaml_unsafe_load: yaml.load with SafeLoader."""
# expect: none
# features: sanitizer-yaml-safe-load
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.post("/rules")
def rules():
    parsed = yaml.load(request.form["rules"], Loader=yaml.SafeLoader)
    return {"count": len(parsed)}
