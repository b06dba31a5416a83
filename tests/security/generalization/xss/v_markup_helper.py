from flask import Flask, render_template, request
from markupsafe import Markup

app = Flask(__name__)


def highlight(term):
    return Markup("<mark>" + term + "</mark>")  # expect: xss


@app.route("/find")
def find():
    return render_template("find.html", banner=highlight(request.args.get("term", "")))
