"""flask.send_file with a header value."""
# features: source-flask-headers, propagation-fstring
from flask import Flask, request, send_file

app = Flask(__name__)


@app.route("/download")
def download():
    name = request.headers["X-File"]
    return send_file(f"/srv/files/{name}")  # expect: path-traversal
