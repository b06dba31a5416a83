# expect: none
from flask import Flask, redirect, request, url_for

app = Flask(__name__)


@app.route("/back")
def back():
    return redirect(url_for("profile", tab=request.args.get("tab", "main")))
