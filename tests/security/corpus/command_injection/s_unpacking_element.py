"""Twin of v_unpacking: only the constant element of the tuple reaches the shell."""
# expect: none
# features: precision-container-elements, propagation-unpacking
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/archive")
def archive():
    mode, name = "czf", request.values["name"]
    os.system(f"tar {mode} /tmp/backup.tgz /srv/data")
    app.logger.info("archive requested for %s", name)
    return "ok"
