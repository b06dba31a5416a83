from fastapi import FastAPI, UploadFile

app = FastAPI()


@app.post("/upload")
async def upload(file: UploadFile):
    with open(f"/srv/uploads/{file.filename}", "wb") as out:  # expect: path-traversal
        out.write(await file.read())
    return {"stored": file.filename}
