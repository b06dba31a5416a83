"""A FastAPI query parameter typed as str reaches a shell."""
# features: source-fastapi-parameter
import subprocess

from fastapi import FastAPI

app = FastAPI()


@app.get("/lookup")
def lookup(domain: str):
    result = subprocess.run(f"dig +short {domain}", shell=True, capture_output=True, check=False)  # expect: command-injection
    return {"answer": result.stdout.decode()}
