"""Twin of v_dict_element: only the constant element of the dictionary is in the query."""
# expect: none
# features: precision-container-elements
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/report")
def report():
    options = {"table": "sales", "region": request.args["region"]}
    query = "SELECT * FROM %s WHERE region = ?" % options["table"]
    rows = sqlite3.connect("bi.db").execute(query, (options["region"],)).fetchall()
    return {"rows": rows}
