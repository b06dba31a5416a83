from flask import Flask, make_response, request

app = Flask(__name__)


@app.route("/lang")
def lang():
    response = make_response("ok")
    response.headers["Content-Language"] = request.args.get("lang", "en")  # expect: header-injection
    return response
