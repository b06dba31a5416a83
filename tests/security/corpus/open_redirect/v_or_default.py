"""The parameter, or a default when it is empty."""
# features: source-flask-args, propagation-conditional-expression
from flask import Flask, redirect, request, url_for

app = Flask(__name__)


@app.route("/signed-in")
def signed_in():
    target = request.args.get("next") or url_for("index")
    return redirect(target)  # expect: open-redirect
