from flask import Flask, request
from ldap3 import Connection, Server

app = Flask(__name__)
server = Server("ldap://directory.example.com")


@app.route("/people")
def people():
    conn = Connection(server, auto_bind=True)
    uid = request.args["uid"]
    conn.search("dc=example,dc=com", f"(uid={uid})", attributes=["cn"])  # expect: ldap-injection
    return {"entries": [str(entry) for entry in conn.entries]}
