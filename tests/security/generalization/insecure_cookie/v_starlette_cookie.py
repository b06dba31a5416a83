from starlette.responses import JSONResponse


async def login(request):
    form = await request.form()
    response = JSONResponse({"ok": True})
    response.set_cookie("session_id", form["session"])  # expect: insecure-cookie
    return response
