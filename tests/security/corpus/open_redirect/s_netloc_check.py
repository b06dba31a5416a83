"""Twin of v_referrer: the host of the target is checked against an allow-list."""
# expect: none
# features: sanitizer-allowlist, precision-early-return
from urllib.parse import urlparse

from flask import Flask, redirect, request

app = Flask(__name__)
ALLOWED_HOSTS = ("example.com", "www.example.com")


@app.route("/back")
def back():
    target = request.referrer or "/"
    if urlparse(target).netloc not in ALLOWED_HOSTS:
        return redirect("/")
    return redirect(target)
