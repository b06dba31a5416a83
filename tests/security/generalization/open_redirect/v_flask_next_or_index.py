from flask import Flask, redirect, request, url_for
from flask_login import login_user

app = Flask(__name__)


@app.post("/login")
def login():
    login_user(load_user(request.form["username"]))
    return redirect(request.args.get("next") or url_for("index"))  # expect: open-redirect


def load_user(name):
    return name
