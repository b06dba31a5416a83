"""Twin of v_ldap3_search: ldap3's escape_filter_chars."""
# expect: none
# features: sanitizer-ldap-escape
from flask import Flask, request
from ldap3 import Connection, Server
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)


@app.post("/lookup")
def lookup():
    connection = Connection(Server("ldap://directory"), auto_bind=True)
    mail_filter = "(mail={})".format(escape_filter_chars(request.form["mail"]))
    connection.search("dc=example,dc=com", mail_filter)
    return {"entries": len(connection.entries)}
