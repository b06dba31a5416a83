"""A property's setter (same name as its getter) holds the flow: both definitions are analyzed."""
# features: propagation-same-name-definitions
import os

from flask import Flask, request

app = Flask(__name__)


class Settings:
    @property
    def theme(self):
        return "light"

    @theme.setter
    def theme(self, value):
        os.system("set-theme " + request.args.get("theme", value))  # expect: command-injection


@app.route("/theme")
def theme():
    Settings().theme = "dark"
    return "ok"
