import os

from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()
BASE = "/srv/static"


@app.get("/files/{name}")
def read_file(name: str):
    return FileResponse(os.path.join(BASE, name))  # expect: path-traversal
