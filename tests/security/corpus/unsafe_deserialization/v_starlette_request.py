"""Starlette: the body of a Request object, unpickled."""
# features: source-starlette-request
import pickle

from fastapi import FastAPI, Request

app = FastAPI()


@app.post("/state")
async def state(request: Request):
    body = await request.body()
    return {"state": repr(pickle.loads(body))}  # expect: unsafe-deserialization
