"""Twin of v_base_dn: escape_dn_chars."""
# expect: none
# features: sanitizer-ldap-escape
import ldap
from flask import Flask, request
from ldap.dn import escape_dn_chars

app = Flask(__name__)


@app.route("/team")
def team():
    unit = escape_dn_chars(request.headers["X-Unit"])
    connection = ldap.initialize("ldap://directory")
    members = connection.search_s("ou=" + unit + ",dc=example,dc=com", ldap.SCOPE_ONELEVEL)
    return {"members": len(members)}
