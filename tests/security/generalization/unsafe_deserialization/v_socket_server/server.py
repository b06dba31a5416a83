import socketserver

from .protocol import decode_message


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        data = self.request.recv(65536)
        message = decode_message(data)
        self.request.sendall(repr(message).encode())
