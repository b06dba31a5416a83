from flask import Flask, request

from sql_injection.v_reexport import count_rows

app = Flask(__name__)


@app.route("/count")
def count():
    return {"count": count_rows(request.args["table"])}
