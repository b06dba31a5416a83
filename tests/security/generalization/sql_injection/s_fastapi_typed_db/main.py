# expect: none
from fastapi import Depends, FastAPI
from sqlalchemy import text
from sqlalchemy.orm import Session

from .database import get_db

app = FastAPI()


@app.get("/items/{item_id}")
def read_item(item_id: int, db: Session = Depends(get_db)):
    row = db.execute(text(f"SELECT * FROM items WHERE id = {item_id}")).first()
    return dict(row._mapping) if row else {}
