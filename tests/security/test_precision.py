"""What keeps clean code quiet: validators recognized by behaviour, typed routes, fixed programs and redirects."""

from __future__ import annotations


def _review(review_files, files: dict[str, str]) -> list[tuple]:
    return [(f["file"], f["line"], f["rule_id"], f["severity"]) for f in review_files(files)]


CHECKS = 'import os\nimport re\n\nALLOWED_TABLES = {"users", "orders"}\nNAME = re.compile(r"[a-z_]{1,30}")\n\n\ndef table_name(name):\n    if name not in ALLOWED_TABLES:\n        raise ValueError("unknown table")\n    return name\n\n\ndef is_simple(value):\n    return bool(NAME.fullmatch(value))\n\n\ndef inside(base, candidate):\n    full = os.path.realpath(os.path.join(base, candidate))\n    if not full.startswith(base + os.sep):\n        return False\n    return True\n\n\ndef ensure_relative(path):\n    if ".." in path or path.startswith("/"):\n        raise PermissionError(path)\n\n\ndef describe(value):\n    return "value: " + value\n'

VIEWS = 'import os\nimport sqlite3\nimport subprocess\nfrom flask import Flask, request, send_file, abort\nfrom app.checks import table_name, is_simple, inside, ensure_relative, describe\n\napp = Flask(__name__)\ndb = sqlite3.connect("x.db")\n\n\n@app.route("/t")\ndef table():\n    name = table_name(request.args["t"])\n    return {"rows": db.execute("SELECT * FROM " + name).fetchall()}\n\n\n@app.route("/s")\ndef simple():\n    value = request.args["v"]\n    if not is_simple(value):\n        abort(400)\n    subprocess.run("echo " + value, shell=True)\n    return {}\n\n\n@app.route("/f")\ndef files():\n    path = request.args["p"]\n    ensure_relative(path)\n    return send_file(os.path.join("/srv/files", path))\n\n\n@app.route("/bad")\ndef bad():\n    value = request.args["v"]\n    describe(value)\n    subprocess.run("echo " + value, shell=True)\n    return {}\n'


def test_validators_of_another_module_are_recognized_by_what_they_do(review_files):
    found = _review(review_files, {"app/__init__.py": "", "app/checks.py": CHECKS, "app/views.py": VIEWS})
    # table_name raises unless allowed, is_simple returns a full match, ensure_relative raises on
    # ".." or "/": only the view that calls a function checking nothing is reported.
    assert found == [("app/views.py", 37, "command-injection", "critical")]


def test_a_predicate_of_the_same_file_guards_and_a_non_validator_does_not(review_files):
    found = _review(review_files, {"tool.py": """import os
from flask import Flask, request

app = Flask(__name__)
COMMANDS = ("status", "version")


def known(command):
    for allowed in COMMANDS:
        if command == allowed:
            return True
    return False


def shout(command):
    if command:
        return command.upper()
    return command


@app.route("/run")
def run():
    command = request.args["c"]
    if known(command):
        os.system("tool " + command)
    if shout(command):
        os.system("tool " + command)
    return {}
"""})
    assert found == [("tool.py", 27, "command-injection", "critical")]


DJANGO_URLS = 'from django.urls import path, re_path\n\nfrom . import views\n\nurlpatterns = [\n    path("orders/<int:pk>/", views.order),\n    path("users/<str:name>/", views.user),\n    re_path(r"^items/(?P<item_id>\\d+)/$", views.item),\n    path("tags/<slug:tag>/", views.tag),\n]\n'

DJANGO_VIEWS = 'from django.db import connection\nfrom django.http import HttpResponse\n\n\ndef order(request, pk):\n    with connection.cursor() as cursor:\n        cursor.execute("SELECT * FROM orders WHERE id = %s" % pk)\n    return HttpResponse("ok")\n\n\ndef user(request, name):\n    with connection.cursor() as cursor:\n        cursor.execute("SELECT * FROM users WHERE name = \'%s\'" % name)\n    return HttpResponse("ok")\n\n\ndef item(request, item_id):\n    with connection.cursor() as cursor:\n        cursor.execute("SELECT * FROM items WHERE id = " + item_id)\n    return HttpResponse("ok")\n\n\ndef tag(request, tag):\n    with connection.cursor() as cursor:\n        cursor.execute(f"SELECT * FROM tags WHERE slug = \'{tag}\'")\n    return HttpResponse("ok")\n'


def test_django_url_converters_make_view_parameters_safe(review_files):
    found = _review(review_files, {"shop/__init__.py": "", "shop/urls.py": DJANGO_URLS, "shop/views.py": DJANGO_VIEWS})
    # <int:pk>, (?P<item_id>\\d+) and <slug:tag> are typed; <str:name> is any text.
    assert found == [("shop/views.py", 13, "sql-injection", "high")]


def test_a_list_command_with_a_fixed_program_is_argument_injection_at_most(review_files):
    found = _review(review_files, {"app.py": """import subprocess
from flask import Flask, request

app = Flask(__name__)


@app.route("/log")
def log():
    ref = request.args["ref"]
    subprocess.run(["git", "log", ref])
    subprocess.run(["git", "log", "--", ref])
    subprocess.run([request.args["prog"], "--version"])
    subprocess.run("git log " + ref, shell=True)
    return {}
"""})
    assert found == [
        ("app.py", 10, "argument-injection", "medium"),
        ("app.py", 12, "command-injection", "critical"),
        ("app.py", 13, "command-injection", "critical"),
    ]


def test_a_frameworks_escaping_helpers_stay_sanitizers_in_its_own_tree(review_files):
    # Django reviewed from inside its package folder: its html module is ``utils.html`` here.
    found = _review(review_files, {"utils/html.py": """from django.http import HttpResponse


def escape(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def greet(request):
    return HttpResponse("<b>" + escape(request.GET["name"]) + "</b>")


def echo(request):
    return HttpResponse("<b>" + request.GET["name"] + "</b>")
"""})
    assert found == [("utils/html.py", 13, "xss", "high")]
