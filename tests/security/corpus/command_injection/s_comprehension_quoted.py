"""Twin of v_comprehension: each element is quoted inside the comprehension."""
# expect: none
# features: sanitizer-shlex-quote, propagation-comprehension
import os
import shlex

from flask import Flask, request

app = Flask(__name__)


@app.route("/remove")
def remove():
    names = [shlex.quote(name.strip()) for name in request.args.getlist("name")]
    os.system("rm -f " + " ".join(names))
    return "ok"
