"""Twin of v_upload_filename: werkzeug's secure_filename cleans the name."""
# expect: none
# features: sanitizer-secure-filename
import os

from flask import Flask, request
from werkzeug.utils import secure_filename

app = Flask(__name__)
UPLOADS = "/srv/uploads"


@app.post("/upload")
def upload():
    uploaded = request.files["document"]
    with open(os.path.join(UPLOADS, secure_filename(uploaded.filename)), "wb") as handle:
        handle.write(uploaded.read())
    return {"saved": True}
