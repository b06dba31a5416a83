"""Bytes read from a socket, decoded and run."""
# features: source-socket, propagation-string-methods
import socket
import subprocess


def serve(port):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("0.0.0.0", port))
    server.listen(1)
    connection, _ = server.accept()
    command = connection.recv(1024).decode("utf-8").strip()
    subprocess.Popen(command, shell=True)  # expect: command-injection
