from flask import Flask, make_response

app = Flask(__name__)


@app.route("/remember")
def remember():
    response = make_response("ok")
    response.set_cookie("remember_token", "abc")  # expect: insecure-cookie
    return response
