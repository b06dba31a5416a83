from fastapi import Depends, FastAPI
from sqlalchemy import text
from sqlalchemy.orm import Session

from .database import get_db

app = FastAPI()


@app.get("/items/search")
def search(q: str, db: Session = Depends(get_db)):
    rows = db.execute(text(f"SELECT * FROM items WHERE name LIKE '%{q}%'"))  # expect: sql-injection
    return [dict(row._mapping) for row in rows]
