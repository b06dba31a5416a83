# expect: none
from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/settings")
def settings():
    tab = request.args.get("tab", "profile")
    return redirect("/account/settings/" + tab)
