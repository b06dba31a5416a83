"""Twin of v_sqlalchemy_text: a bound parameter."""
# expect: none
# features: sanitizer-parameterized-sql
from flask import Flask, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine("sqlite://")


@app.route("/prefs")
def prefs():
    theme = request.cookies.get("theme", "light").lower()
    with engine.connect() as connection:
        query = text("SELECT * FROM prefs WHERE theme = :theme")
        rows = connection.execute(query, {"theme": theme}).fetchall()
    return {"count": len(rows)}
