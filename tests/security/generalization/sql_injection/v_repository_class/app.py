from flask import Flask, jsonify, request

from .repo import UserRepository

app = Flask(__name__)
users = UserRepository("dbname=app")


@app.post("/login")
def login():
    user = users.find_by_email(request.form["email"])
    return jsonify(found=user is not None)
