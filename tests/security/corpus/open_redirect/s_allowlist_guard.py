"""Twin of v_form_target: an allow-list guard with an early return."""
# expect: none
# features: sanitizer-allowlist, precision-early-return
from flask import Flask, redirect, request

app = Flask(__name__)
DESTINATIONS = {"/home", "/account", "/help"}


@app.post("/go")
def go():
    target = request.form["target"].strip()
    if target not in DESTINATIONS:
        return redirect("/home")
    return redirect(target)
