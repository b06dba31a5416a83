"""Twin of v_fastapi: the feature flag that would use the parameter is off."""
# expect: none
# features: precision-constant-folding, source-fastapi-parameter
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()
FOLLOW_EXTERNAL_LINKS = False


@app.get("/out")
def out(url: str):
    target = url if FOLLOW_EXTERNAL_LINKS else "/"
    return RedirectResponse(target)
