import subprocess
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        params = parse_qs(urlparse(self.path).query)
        name = params.get("file", [""])[0]
        output = subprocess.check_output("wc -l " + name, shell=True)  # expect: command-injection
        self.send_response(200)
        self.end_headers()
        self.wfile.write(output)


if __name__ == "__main__":
    HTTPServer(("", 8000), Handler).serve_forever()
