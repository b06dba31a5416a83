from urllib.request import urlopen

from fastapi import FastAPI

app = FastAPI()


@app.get("/avatar")
def avatar(src: str):
    with urlopen(src) as reply:  # expect: ssrf
        return {"size": len(reply.read())}
