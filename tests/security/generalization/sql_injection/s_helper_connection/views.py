# expect: none
from flask import Blueprint, request, render_template

from .db import get_connection

bp = Blueprint("products", __name__)


@bp.route("/products")
def products():
    category = request.args.get("category", "")
    cur = get_connection().cursor()
    cur.execute("SELECT id, name FROM products WHERE category = ?", (category,))
    return render_template("products.html", rows=cur.fetchall())
