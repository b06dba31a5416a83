"""Twin of v_starlette_request: the body is read as JSON."""
# expect: none
# features: source-starlette-request, sanitizer-data-only-format
import json

from fastapi import FastAPI, Request

app = FastAPI()


@app.post("/state")
async def state(request: Request):
    body = await request.body()
    return {"state": json.loads(body)}
