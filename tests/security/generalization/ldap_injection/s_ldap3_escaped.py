# expect: none
from flask import Flask, request
from ldap3 import Connection, Server
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)
server = Server("ldap://directory.example.com")


@app.route("/people")
def people():
    conn = Connection(server, auto_bind=True)
    uid = escape_filter_chars(request.args["uid"])
    conn.search("dc=example,dc=com", f"(uid={uid})", attributes=["cn"])
    return {"entries": [str(entry) for entry in conn.entries]}
