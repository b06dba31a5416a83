from flask import Flask, request

app = Flask(__name__)


@app.route("/greet")
def greet():
    name = request.args.get("name", "")
    return "<p>Welcome back, %s</p>" % name  # expect: xss
