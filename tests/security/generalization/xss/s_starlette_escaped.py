# expect: none
import html

from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route


async def hello(request):
    name = request.query_params.get("name", "world")
    return HTMLResponse(f"<h1>Hello, {html.escape(name)}</h1>")


app = Starlette(routes=[Route("/", hello)])
