import aiosqlite
from aiohttp import web


async def handle(request: web.Request):
    author = request.query.get("author", "")
    async with aiosqlite.connect("books.db") as db:
        async with db.execute(f"SELECT title FROM books WHERE author = '{author}'") as cursor:  # expect: sql-injection
            rows = await cursor.fetchall()
    return web.json_response([row[0] for row in rows])


app = web.Application()
app.router.add_get("/books", handle)
