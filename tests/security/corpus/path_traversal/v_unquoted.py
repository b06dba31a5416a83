"""A URL-decoded value names a file to delete."""
# features: propagation-url-decoding, source-flask-cookies
import os
from urllib.parse import unquote

from flask import Flask, request

app = Flask(__name__)


@app.route("/forget")
def forget():
    draft = unquote(request.cookies["draft"])
    os.remove("/srv/drafts/" + draft)  # expect: path-traversal
    return {"removed": True}
