"""Flows through program structure across modules: library objects other modules hand out."""

from __future__ import annotations

CLIENTS = '''import httpx
import requests

from app.store import Store

session = requests.Session()
store = Store()


def get_client():
    client = httpx.Client(timeout=3)
    return client


def make_session():
    return requests.Session()


def get_store():
    return Store()
'''

STORE = '''class Store:
    def get(self, key):
        return {"key": key}
'''

VIEWS = '''from flask import Flask, request

from app import clients
from app.clients import get_client, session, store, get_store
from app import shared_session

app = Flask(__name__)


@app.route("/a")
def through_helper():
    return {"code": get_client().get(request.args["url"]).status_code}


@app.route("/b")
def through_global():
    return {"code": session.post(request.args["url"], data={}).status_code}


@app.route("/c")
def through_module_attribute():
    return {"code": clients.make_session().get(request.args["url"]).status_code}


@app.route("/d")
def through_reexport():
    return {"code": shared_session.get(url=request.args["url"]).status_code}


@app.route("/e")
def repository_objects():
    return {"one": store.get(request.args["k"]), "two": get_store().get(request.args["k"])}


@app.route("/f")
def constant_host():
    return {"code": session.get("https://api.example.com/items/" + request.args["id"]).status_code}
'''


def _review(review_files, files: dict[str, str]) -> list[tuple]:
    return [(f["file"], f["line"], f["rule_id"], f["confidence"]) for f in review_files(files)]


def test_library_objects_from_other_modules_keep_their_type(review_files):
    found = _review(review_files, {
        "app/__init__.py": "from app.clients import session as shared_session\n",
        "app/clients.py": CLIENTS, "app/store.py": STORE, "app/views.py": VIEWS,
    })  # fmt: skip
    assert [item for item in found if item[2] == "ssrf"] == [
        ("app/views.py", 12, "ssrf", "high"),
        ("app/views.py", 17, "ssrf", "high"),
        ("app/views.py", 22, "ssrf", "high"),
        ("app/views.py", 27, "ssrf", "high"),
    ]


def test_a_db_api_connection_from_a_helper_module_is_a_library_object(review_files):
    found = _review(review_files, {
        "shop/__init__.py": "",
        "shop/db.py": "import sqlite3\n\ndef get_connection():\n    return sqlite3.connect('shop.db')\n",
        "shop/views.py": """from flask import Flask, request
from shop.db import get_connection

app = Flask(__name__)


@app.route("/orders")
def orders():
    conn = get_connection()
    cur = conn.cursor()
    cur.execute("SELECT * FROM orders WHERE customer = '%s'" % request.args["customer"])
    return {"orders": cur.fetchall()}
""",
    })  # fmt: skip
    assert found == [("shop/views.py", 11, "sql-injection", "high")]
