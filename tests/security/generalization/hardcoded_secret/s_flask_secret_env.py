# expect: none
import os

from flask import Flask

app = Flask(__name__)
app.secret_key = os.environ.get("FLASK_SECRET_KEY")
app.config["SESSION_COOKIE_NAME"] = "session"
PASSWORD_FIELD = "password"
TOKEN_HEADER = "X-Auth-Token"
