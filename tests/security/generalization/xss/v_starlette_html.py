from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route


async def hello(request):
    name = request.query_params.get("name", "")
    return HTMLResponse(f"<h1>Hello {name}</h1>")  # expect: xss


app = Starlette(routes=[Route("/hello", hello)])
