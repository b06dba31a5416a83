"""Twin of v_yaml_load: the loader is a subclass of SafeLoader defined here."""
# expect: none
# features: sanitizer-yaml-safe-load, propagation-inheritance
import yaml
from flask import Flask, request

app = Flask(__name__)


class StrictLoader(yaml.SafeLoader):
    """A safe loader that also refuses duplicate keys."""


@app.post("/config")
def upload_config():
    config = yaml.load(request.files["config"].read(), Loader=StrictLoader)
    return {"sections": list(config)}
