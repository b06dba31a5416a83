import os

from bottle import request, route


@route("/whois")
def whois():
    domain = request.query.get("domain")
    return os.popen("whois " + domain).read()  # expect: command-injection
