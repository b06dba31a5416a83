"""The two tiers: taint-confirmed findings are high confidence; untraced SQL and shell text is low."""

from __future__ import annotations

from framework.tree import SourceTree
from reviewers.security.engine import review
from reviewers.security.report import NOT_TRACED

API = '''import sqlite3

def find_user(db, name):
    return db.execute("SELECT * FROM users WHERE name = '%s'" % name)

def count(db, table):
    return db.execute("SELECT count(*) FROM t WHERE id = ?", (table,))

def caller(db):
    return helper(db, "alice")

def helper(db, who):
    return db.execute("SELECT * FROM users WHERE name = '" + who + "'")
'''


def test_an_uncalled_function_formatting_a_parameter_into_sql_is_low_and_not_traced(tmp_path):
    (tmp_path / "api.py").write_text(API)
    findings = review(SourceTree(tmp_path, ["api.py"]), {"workers": 1}).findings
    assert [(f["line"], f["rule_id"], f["confidence"], f["severity"]) for f in findings] == [
        (4, "sql-injection", "low", "low"),
    ]
    assert findings[0]["details"]["source"] == NOT_TRACED == "not traced"
    assert findings[0]["details"]["path"][0]["what"] == "parameter name of find_user()"


def test_a_request_object_kept_in_a_wrapper_is_followed_to_its_data(tmp_path):
    (tmp_path / "app.py").write_text('''import os
from flask import Flask, request

app = Flask(__name__)

class Params:
    def __init__(self, req):
        self.req = req

    def get(self, name):
        return self.req.args.get(name)

@app.route("/run")
def run():
    os.system("ls " + Params(request).get("dir"))
    log(request)
    return "ok"
''')
    findings = review(SourceTree(tmp_path, ["app.py"]), {"workers": 1}).findings
    assert [(f["line"], f["rule_id"], f["confidence"]) for f in findings] == [(15, "command-injection", "high")]
