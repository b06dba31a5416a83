from http.server import BaseHTTPRequestHandler


class RedirectHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(302)
        self.send_header("X-Requested-Path", self.path)  # expect: header-injection
        self.end_headers()
