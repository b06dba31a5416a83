"""Twin of v_send_file: os.path.basename keeps only the last component."""
# expect: none
# features: sanitizer-basename
import os

from flask import Flask, request, send_file

app = Flask(__name__)


@app.route("/download")
def download():
    name = os.path.basename(request.headers["X-File"])
    return send_file(f"/srv/files/{name}")
