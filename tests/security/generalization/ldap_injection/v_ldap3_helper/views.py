from flask import Flask, request

from .directory import connect

app = Flask(__name__)


@app.route("/people")
def people():
    conn = connect()
    conn.search("dc=example,dc=com", f"(uid={request.args['uid']})", attributes=["cn"])  # expect: ldap-injection
    return {"found": [entry.cn.value for entry in conn.entries]}
