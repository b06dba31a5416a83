"""FastAPI/Starlette response cookie without flags."""
# features: weakness-direct-call
from fastapi import FastAPI, Response

app = FastAPI()


@app.post("/prefs")
def prefs(response: Response):
    response.set_cookie(key="theme", value="dark")  # expect: insecure-cookie
    return {"ok": True}
