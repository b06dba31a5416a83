# expect: none
import yaml
from fastapi import FastAPI, UploadFile

app = FastAPI()


@app.post("/config")
async def upload_config(file: UploadFile):
    return {"keys": list(yaml.safe_load(await file.read()))}
