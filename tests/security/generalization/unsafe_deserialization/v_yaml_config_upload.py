import yaml
from fastapi import FastAPI, UploadFile

app = FastAPI()


@app.post("/config")
async def upload_config(file: UploadFile):
    settings = yaml.load(await file.read(), Loader=yaml.Loader)  # expect: unsafe-deserialization
    return {"keys": list(settings)}
