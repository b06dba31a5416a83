import aiohttp
from aiohttp import web


async def webhook_test(request):
    data = await request.post()
    async with aiohttp.ClientSession() as session:
        async with session.get(data["target"]) as reply:  # expect: ssrf
            return web.json_response({"status": reply.status})
