from fastapi import FastAPI

from .clients import client

app = FastAPI()


@app.get("/proxy")
async def proxy(url: str):
    response = await client.get(url)  # expect: ssrf
    return {"status": response.status_code}
