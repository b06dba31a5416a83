"""Twin of v_pathlib_read: the path is resolved and must stay under the base."""
# expect: none
# features: sanitizer-realpath-prefix-check
from pathlib import Path

from flask import Flask, request

app = Flask(__name__)
TEMPLATES = Path("/srv/templates")


@app.post("/preview")
def preview():
    target = (TEMPLATES / request.form["template"]).resolve()
    if target.is_relative_to(TEMPLATES):
        return {"text": target.read_text()}
    return {"error": "not found"}
