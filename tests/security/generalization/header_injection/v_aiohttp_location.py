from aiohttp import web


async def moved(request):
    response = web.Response(status=302)
    response.headers["Location"] = request.query.get("to", "/")  # expect: header-injection
    return response
