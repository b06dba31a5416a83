"""Twin of v_fastapi_param: the parameter is typed int, which FastAPI validates."""
# expect: none
# features: sanitizer-numeric-cast, source-fastapi-parameter
import subprocess

from fastapi import FastAPI

app = FastAPI()


@app.get("/wait")
def wait(seconds: int):
    subprocess.run(f"sleep {seconds}", shell=True, check=False)
    return {"waited": seconds}
