from flask import Flask, request

from sql_injection.s_reexport import count_rows

app = Flask(__name__)
TABLES = {"users": "users", "orders": "orders"}


@app.route("/count")
def count():
    return {"count": count_rows(TABLES[request.args["table"]])}
