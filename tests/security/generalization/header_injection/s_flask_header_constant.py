# expect: none
from flask import Flask, make_response, request

app = Flask(__name__)
LANGUAGES = ("en", "fr", "de")


@app.route("/lang")
def lang():
    response = make_response("ok")
    choice = request.args.get("lang", "en")
    response.headers["Content-Language"] = choice if choice in LANGUAGES else "en"
    return response
