# expect: none
import os

from flask import Flask, request
from werkzeug.utils import secure_filename

app = Flask(__name__)


@app.post("/upload")
def upload():
    upload = request.files["file"]
    upload.save(os.path.join("/srv/uploads", secure_filename(upload.filename)))
    return {"ok": True}
