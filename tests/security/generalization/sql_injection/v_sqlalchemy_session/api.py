from fastapi import FastAPI
from sqlalchemy import text

from .database import engine

app = FastAPI()


@app.get("/users")
def list_users(order: str = "name"):
    with engine.connect() as conn:
        result = conn.execute(text("SELECT id, name FROM users ORDER BY " + order))  # expect: sql-injection
        return [dict(row._mapping) for row in result]
