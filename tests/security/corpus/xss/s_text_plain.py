"""Twin of v_tuple_return: the response is declared text/plain, so no HTML is parsed."""
# expect: none
# features: sanitizer-content-type
from flask import Flask, Response, request

app = Flask(__name__)


@app.route("/theme")
def theme():
    chosen = request.cookies.get("theme", "light")
    return Response("theme: " + chosen, mimetype="text/plain")
