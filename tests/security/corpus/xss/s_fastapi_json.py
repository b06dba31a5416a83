"""Twin of v_fastapi_html: FastAPI returns JSON by default."""
# expect: none
# features: sanitizer-json-response, source-fastapi-parameter
from fastapi import FastAPI

app = FastAPI()


@app.get("/welcome")
def welcome(user: str):
    return f"Welcome {user}"
