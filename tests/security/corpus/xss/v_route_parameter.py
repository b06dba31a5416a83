"""A route variable is untrusted."""
# features: source-route-parameter
from flask import Flask

app = Flask(__name__)


@app.route("/users/<name>")
def profile(name):
    return f"<h1>{name}</h1>"  # expect: xss
