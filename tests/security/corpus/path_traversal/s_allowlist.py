"""Twin of v_unquoted: only names from a fixed list get through."""
# expect: none
# features: sanitizer-allowlist
import os
from urllib.parse import unquote

from flask import Flask, request

app = Flask(__name__)
DRAFTS = ["a.txt", "b.txt"]


@app.route("/forget")
def forget():
    draft = unquote(request.cookies["draft"])
    if draft in DRAFTS:
        os.remove("/srv/drafts/" + draft)
    return {"removed": True}
