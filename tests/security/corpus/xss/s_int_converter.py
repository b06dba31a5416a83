"""Twin of v_route_parameter: an int converter lets only numbers through."""
# expect: none
# features: sanitizer-numeric-cast, source-route-parameter
from flask import Flask

app = Flask(__name__)


@app.route("/users/<int:user_id>")
def profile(user_id):
    return f"<h1>User {user_id}</h1>"
