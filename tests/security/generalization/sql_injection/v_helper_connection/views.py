from flask import Blueprint, request, render_template

from .db import get_connection

bp = Blueprint("products", __name__)


@bp.route("/products")
def products():
    category = request.args.get("category", "")
    conn = get_connection()
    cur = conn.cursor()
    cur.execute("SELECT id, name FROM products WHERE category = '%s'" % category)  # expect: sql-injection
    rows = cur.fetchall()
    return render_template("products.html", rows=rows)
