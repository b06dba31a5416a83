from fastapi import FastAPI

from .repository import UserRepository

app = FastAPI()
users = UserRepository("users.db")


@app.get("/users/by-email")
def by_email(email: str):
    return {"user": users.by_email(email)}
