import os
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse


class PingHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        params = parse_qs(urlparse(self.path).query)
        host = params.get("host", ["localhost"])[0]
        output = os.popen("ping -c 1 " + host).read()  # expect: command-injection
        self.send_response(200)
        self.end_headers()
        self.wfile.write(output.encode())


if __name__ == "__main__":
    HTTPServer(("", 8000), PingHandler).serve_forever()
