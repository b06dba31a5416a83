"""Twin of v_search_s: escape_filter_chars."""
# expect: none
# features: sanitizer-ldap-escape
import ldap
from flask import Flask, request
from ldap.filter import escape_filter_chars

app = Flask(__name__)


@app.route("/directory")
def directory():
    uid = escape_filter_chars(request.args["uid"])
    connection = ldap.initialize("ldap://directory")
    found = connection.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, f"(uid={uid})")
    return {"count": len(found)}
