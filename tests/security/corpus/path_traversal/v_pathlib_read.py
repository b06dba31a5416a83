"""pathlib: a form value under a base folder, read as text."""
# features: source-flask-form, propagation-attributes
from pathlib import Path

from flask import Flask, request

app = Flask(__name__)
TEMPLATES = Path("/srv/templates")


@app.post("/preview")
def preview():
    target = TEMPLATES / request.form["template"]
    return {"text": target.read_text()}  # expect: path-traversal
