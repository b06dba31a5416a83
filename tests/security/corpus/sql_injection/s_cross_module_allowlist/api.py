from fastapi import FastAPI, HTTPException

from .repository import UserRepository

app = FastAPI()
users = UserRepository("users.db")
SORTABLE = {"name", "email", "created"}


@app.get("/users")
def list_users(sort: str):
    if sort not in SORTABLE:
        raise HTTPException(status_code=400)
    return {"users": users.sorted_by(sort)}
