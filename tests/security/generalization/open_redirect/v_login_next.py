from flask import Flask, redirect, request, session

app = Flask(__name__)


@app.post("/login")
def login():
    session["user"] = "someone"
    return redirect(request.args.get("next", "/"))  # expect: open-redirect
