"""The base DN is built from a header."""
# features: source-flask-headers, propagation-concatenation
import ldap
from flask import Flask, request

app = Flask(__name__)


@app.route("/team")
def team():
    unit = request.headers["X-Unit"]
    connection = ldap.initialize("ldap://directory")
    members = connection.search_s("ou=" + unit + ",dc=example,dc=com", ldap.SCOPE_ONELEVEL)  # expect: ldap-injection
    return {"members": len(members)}
