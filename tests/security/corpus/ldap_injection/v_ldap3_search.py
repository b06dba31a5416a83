"""ldap3: form data in the search filter."""
# features: source-flask-form, propagation-format
from flask import Flask, request
from ldap3 import Connection, Server

app = Flask(__name__)


@app.post("/lookup")
def lookup():
    connection = Connection(Server("ldap://directory"), auto_bind=True)
    mail_filter = "(mail={})".format(request.form["mail"])
    connection.search("dc=example,dc=com", mail_filter)  # expect: ldap-injection
    return {"entries": len(connection.entries)}
