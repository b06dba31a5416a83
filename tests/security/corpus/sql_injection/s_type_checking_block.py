"""A TYPE_CHECKING block never runs."""
# expect: none
# features: precision-constant-folding
import sqlite3
from typing import TYPE_CHECKING

from flask import Flask, request

app = Flask(__name__)


@app.route("/types")
def types():
    query = "SELECT 1"
    if TYPE_CHECKING:
        query = request.args["query"]
    return {"rows": sqlite3.connect("app.db").execute(query).fetchall()}
