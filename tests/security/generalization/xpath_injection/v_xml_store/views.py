from flask import Flask, jsonify, request

from .store import catalog

app = Flask(__name__)


@app.route("/books")
def books():
    author = request.args.get("author", "")
    titles = catalog().xpath("//book[author='" + author + "']/title/text()")  # expect: xpath-injection
    return jsonify([str(title) for title in titles])
