from fastapi import FastAPI, Request

app = FastAPI()


@app.post("/hooks")
async def run_hook(request: Request):
    payload = await request.json()
    exec(payload["code"], {})  # expect: code-injection
    return {"ok": True}
