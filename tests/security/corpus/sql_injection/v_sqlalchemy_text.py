"""SQLAlchemy text() built from a cookie."""
# features: source-flask-cookies, propagation-string-methods
from flask import Flask, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine("sqlite://")


@app.route("/prefs")
def prefs():
    theme = request.cookies.get("theme", "light").lower()
    with engine.connect() as connection:
        query = text("SELECT * FROM prefs WHERE theme = '" + theme + "'")  # expect: sql-injection
        rows = connection.execute(query).fetchall()
    return {"count": len(rows)}
