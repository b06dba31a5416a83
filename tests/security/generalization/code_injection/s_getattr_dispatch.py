# expect: none
from fastapi import FastAPI

app = FastAPI()
OPERATIONS = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b}


@app.get("/op/{name}")
def op(name: str, a: int, b: int):
    function = OPERATIONS.get(name)
    return {"result": function(a, b) if function else None}
