from xml.etree import ElementTree

from aiohttp import web


async def upload(request):
    body = await request.read()
    root = ElementTree.fromstring(body)  # expect: xxe
    return web.json_response({"tag": root.tag})
