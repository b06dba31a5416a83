from tornado.httpclient import AsyncHTTPClient
from tornado.web import RequestHandler


class PreviewHandler(RequestHandler):
    async def get(self):
        url = self.get_argument("url")
        response = await AsyncHTTPClient().fetch(url)  # expect: ssrf
        self.write({"length": len(response.body)})
