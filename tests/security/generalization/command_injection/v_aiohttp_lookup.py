import asyncio

from aiohttp import web

routes = web.RouteTableDef()


@routes.get("/lookup/{name}")
async def lookup(request):
    name = request.match_info["name"]
    proc = await asyncio.create_subprocess_shell(f"host {name}", stdout=asyncio.subprocess.PIPE)  # expect: command-injection
    out, _ = await proc.communicate()
    return web.Response(text=out.decode())
