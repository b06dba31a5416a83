"""Twin of v_flask_session: only known locales get stored."""
# expect: none
# features: sanitizer-allowlist, precision-early-return
from flask import Flask, request, session

app = Flask(__name__)
LOCALES = ("en", "fr", "de")


@app.route("/locale")
def set_locale():
    locale = request.args["locale"]
    if locale not in LOCALES:
        return {"ok": False}
    session["locale"] = locale
    return {"ok": True}
