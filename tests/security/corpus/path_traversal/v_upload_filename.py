"""An uploaded file saved under the name the client chose."""
# features: source-flask-files, propagation-attributes
import os

from flask import Flask, request

app = Flask(__name__)
UPLOADS = "/srv/uploads"


@app.post("/upload")
def upload():
    uploaded = request.files["document"]
    with open(os.path.join(UPLOADS, uploaded.filename), "wb") as handle:  # expect: path-traversal
        handle.write(uploaded.read())
    return {"saved": True}
