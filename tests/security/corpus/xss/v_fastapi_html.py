"""FastAPI: an HTMLResponse with a query parameter."""
# features: source-fastapi-parameter
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/welcome")
def welcome(user: str):
    return HTMLResponse(f"<h1>Welcome {user}</h1>")  # expect: xss
