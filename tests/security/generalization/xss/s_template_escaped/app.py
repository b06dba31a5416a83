# expect: none
from flask import Flask, render_template, request

app = Flask(__name__)


@app.route("/profile")
def profile():
    return render_template("profile.html", bio=request.args.get("bio", ""))
