"""Twin of v_next_param: the target is built with url_for; the parameter only picks a page."""
# expect: none
# features: sanitizer-url-for
from flask import Flask, redirect, request, url_for

app = Flask(__name__)


@app.route("/login/done")
def login_done():
    return redirect(url_for("page", name=request.args.get("next", "home")))
