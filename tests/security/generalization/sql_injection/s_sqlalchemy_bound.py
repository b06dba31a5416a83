# expect: none
from fastapi import FastAPI
from sqlalchemy import create_engine, text

engine = create_engine("sqlite:///app.db")
app = FastAPI()


@app.get("/users/{user_id}")
def get_user(user_id: int, name: str = ""):
    with engine.connect() as conn:
        row = conn.execute(text("SELECT id, name FROM users WHERE id = :id AND name = :name"),
                           {"id": user_id, "name": name}).first()
        return dict(row._mapping) if row else {}
