from fastapi import FastAPI

from .stores import TicketStore

app = FastAPI()


@app.get("/tickets")
def tickets(owner: str):
    return TicketStore().by_owner(owner)
