"""python-ldap: a user name in the search filter."""
# features: source-flask-args, propagation-fstring
import ldap
from flask import Flask, request

app = Flask(__name__)


@app.route("/directory")
def directory():
    uid = request.args["uid"]
    connection = ldap.initialize("ldap://directory")
    found = connection.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, f"(uid={uid})")  # expect: ldap-injection
    return {"count": len(found)}
